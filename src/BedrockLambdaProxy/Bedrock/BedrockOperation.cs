namespace BedrockLambdaProxy.Bedrock;

/// <summary>The four Bedrock Runtime operations the proxy forwards.</summary>
internal enum BedrockOperation
{
    InvokeModel,
    InvokeModelWithResponseStream,
    Converse,
    ConverseStream,
}
