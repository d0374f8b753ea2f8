namespace BedrockLambdaProxy.Bedrock;

/// <summary>Wire facts about each <see cref="BedrockOperation"/>: its path suffix and whether it streams.</summary>
internal static class BedrockOperationExtensions
{
    /// <summary>The path after /model/{modelId}, as Bedrock Runtime's REST binding defines it.</summary>
    public static string PathSuffix(this BedrockOperation operation) => operation switch
    {
        BedrockOperation.InvokeModel => "/invoke",
        BedrockOperation.InvokeModelWithResponseStream => "/invoke-with-response-stream",
        BedrockOperation.Converse => "/converse",
        BedrockOperation.ConverseStream => "/converse-stream",
        BedrockOperation.CountTokens => "/count-tokens",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>True for the operations that answer with an application/vnd.amazon.eventstream body.</summary>
    public static bool IsStreaming(this BedrockOperation operation) =>
        operation is BedrockOperation.InvokeModelWithResponseStream or BedrockOperation.ConverseStream;

    /// <summary>The IAM action a role needs for the operation (Converse* are authorised as Invoke*).</summary>
    public static string IamAction(this BedrockOperation operation) => operation switch
    {
        BedrockOperation.CountTokens => "bedrock:CountTokens",
        _ when operation.IsStreaming() => "bedrock:InvokeModelWithResponseStream",
        _ => "bedrock:InvokeModel",
    };

    /// <summary>The request path with the model id escaped as exactly one segment.</summary>
    public static string RelativePath(this BedrockOperation operation, string modelId) =>
        // EscapeDataString turns ':' into %3A and '/' into %2F, so an ARN or an inference profile id
        // stays one path segment; the SigV4 canonical request then encodes this path a second time.
        "/model/" + Uri.EscapeDataString(modelId) + operation.PathSuffix();
}
