namespace BedrockLambdaProxy.Runtime;

/// <summary>The JSON prelude of a streamed http-integration-response: status, headers, cookies.</summary>
internal sealed record HttpResponsePrelude(
    int StatusCode,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<string> Cookies);
