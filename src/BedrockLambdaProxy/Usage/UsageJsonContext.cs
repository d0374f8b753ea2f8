using System.Text.Json.Serialization;

namespace BedrockLambdaProxy.Usage;

/// <summary>Source-generated JSON for the usage log line (no reflection, trim/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UnwrittenUsageLine))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
