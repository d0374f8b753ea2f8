namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>The request body a surface carries to Bedrock.</summary>
internal enum BodyFamily
{
    /// <summary>A Converse request (inferenceConfig.maxTokens).</summary>
    Converse,
    /// <summary>An Anthropic Messages InvokeModel body (max_tokens).</summary>
    Anthropic,
}
