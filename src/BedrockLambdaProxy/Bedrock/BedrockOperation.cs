namespace BedrockLambdaProxy.Bedrock;

/// <summary>The Bedrock Runtime operations the proxy forwards.</summary>
internal enum BedrockOperation
{
    InvokeModel,
    InvokeModelWithResponseStream,
    Converse,
    ConverseStream,

    /// <summary>Counts a request's input tokens without running the model; counted as a request, never charged as tokens.</summary>
    CountTokens,
}
