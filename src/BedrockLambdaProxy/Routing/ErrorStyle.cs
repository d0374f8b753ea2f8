namespace BedrockLambdaProxy.Routing;

/// <summary>The error body shape a surface's clients can parse.</summary>
internal enum ErrorStyle
{
    /// <summary><c>{"error":{"type","message"}}</c>: the seed and Converse surfaces, health, 404s.</summary>
    Proxy,

    /// <summary>AWS's: <c>x-amzn-ErrorType</c> header and <c>{"message"}</c>, so SDKs raise typed exceptions.</summary>
    Aws,

    /// <summary>OpenAI's: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    OpenAi,

    /// <summary>Anthropic's: <c>{"type":"error","error":{"type","message"}}</c>, also as the SSE <c>event: error</c> payload.</summary>
    Anthropic,
}
