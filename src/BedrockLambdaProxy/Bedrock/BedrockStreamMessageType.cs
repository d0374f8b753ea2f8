namespace BedrockLambdaProxy.Bedrock;

/// <summary>The event-stream :message-type header: a modelled event, a modelled exception, or an error.</summary>
internal enum BedrockStreamMessageType
{
    Event,
    Exception,
    Error,
}
