namespace BedrockLambdaProxy.Bedrock;

/// <summary>A successful unary Bedrock answer: status, the whole body, and the headers to pass on.</summary>
internal sealed record BedrockResponse(int StatusCode, ReadOnlyMemory<byte> Body, BedrockResponseHeaders Headers)
{
    public string? ContentType => Headers.Get(BedrockResponseHeaders.ContentType);

    /// <summary>The region that answered and the attempts it took; null only for answers not made by <see cref="BedrockClient"/>.</summary>
    public BedrockRoute? Route { get; init; }
}
