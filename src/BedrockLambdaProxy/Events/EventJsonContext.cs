using System.Text.Json.Serialization;

namespace BedrockLambdaProxy.Events;

/// <summary>Source-generated (reflection-free, AOT-safe) JSON for Lambda's HTTP events.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(LambdaHttpEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
