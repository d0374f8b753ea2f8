using System.Text.Json.Serialization;

namespace BedrockLambdaProxy.Events;

/// <summary>
/// The fields we read from either HTTP event Lambda can deliver: a Function URL event (payload
/// format 2.0, has <c>version</c> and <c>rawPath</c>) or an API Gateway REST proxy event
/// (payload format 1.0, has <c>httpMethod</c> and <c>path</c>). One shape keeps the parse to one pass.
/// </summary>
internal sealed class LambdaHttpEvent
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("rawPath")] public string? RawPath { get; set; }
    [JsonPropertyName("rawQueryString")] public string? RawQueryString { get; set; }
    [JsonPropertyName("cookies")] public List<string>? Cookies { get; set; }

    [JsonPropertyName("resource")] public string? Resource { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("httpMethod")] public string? HttpMethod { get; set; }
    [JsonPropertyName("multiValueHeaders")] public Dictionary<string, List<string>?>? MultiValueHeaders { get; set; }
    [JsonPropertyName("stageVariables")] public Dictionary<string, string>? StageVariables { get; set; }

    [JsonPropertyName("headers")] public Dictionary<string, string?>? Headers { get; set; }
    [JsonPropertyName("queryStringParameters")] public Dictionary<string, string?>? QueryStringParameters { get; set; }
    [JsonPropertyName("requestContext")] public LambdaRequestContext? RequestContext { get; set; }
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; set; }
}
