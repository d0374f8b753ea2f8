namespace BedrockLambdaProxy.Events;

/// <summary>Whether the caller can receive bytes as they are produced.</summary>
internal enum DeliveryMode
{
    /// <summary>Lambda response streaming: a Function URL in RESPONSE_STREAM mode or an API Gateway STREAM route.</summary>
    Streamed,

    /// <summary>One payload at the end: API Gateway's classic proxy integration, or a BUFFERED Function URL.</summary>
    Buffered,
}
