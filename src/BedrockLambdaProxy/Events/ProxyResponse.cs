namespace BedrockLambdaProxy.Events;

/// <summary>A complete (non-streamed) HTTP answer.</summary>
internal sealed record ProxyResponse(
    int StatusCode,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body);
