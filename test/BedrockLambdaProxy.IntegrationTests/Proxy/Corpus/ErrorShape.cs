namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>How a surface words an error body.</summary>
internal enum ErrorShape
{
    /// <summary><c>{"error":{"type","message"}}</c> (the envelope surfaces).</summary>
    Proxy,
    /// <summary><c>{"message"}</c> plus <c>x-amzn-ErrorType</c> (Bedrock-native paths).</summary>
    Aws,
    /// <summary><c>{"error":{"message","type","param","code"}}</c>.</summary>
    OpenAi,
    /// <summary><c>{"type":"error","error":{"type","message"}}</c> (Anthropic's Messages API).</summary>
    Anthropic,
}
