using System.Text.Json.Serialization;

namespace BedrockLambdaProxy.Events;

/// <summary>The requestContext of either payload format; 2.0 nests method and IP under <c>http</c>, 1.0 under <c>identity</c>.</summary>
internal sealed class LambdaRequestContext
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
    [JsonPropertyName("stage")] public string? Stage { get; set; }
    [JsonPropertyName("resourcePath")] public string? ResourcePath { get; set; }
    /// <summary>Payload 1.0: when API Gateway received the request, Unix milliseconds.</summary>
    [JsonPropertyName("requestTimeEpoch")] public long? RequestTimeEpoch { get; set; }
    [JsonPropertyName("http")] public LambdaHttpDescription? Http { get; set; }
    [JsonPropertyName("identity")] public LambdaIdentity? Identity { get; set; }
}

/// <summary>Payload 2.0 <c>requestContext.http</c>.</summary>
internal sealed class LambdaHttpDescription
{
    [JsonPropertyName("method")] public string? Method { get; set; }
    [JsonPropertyName("sourceIp")] public string? SourceIp { get; set; }
}

/// <summary>Payload 1.0 <c>requestContext.identity</c>.</summary>
internal sealed class LambdaIdentity
{
    [JsonPropertyName("sourceIp")] public string? SourceIp { get; set; }
}
