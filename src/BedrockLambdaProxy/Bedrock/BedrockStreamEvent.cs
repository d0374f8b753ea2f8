namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// One decoded event-stream frame from Bedrock, plus its exact bytes for pass-through. The bytes are
/// views of the stream's buffer: whoever keeps them past the next read must copy them.
/// </summary>
internal sealed class BedrockStreamEvent
{
    public BedrockStreamEvent(
        ReadOnlyMemory<byte> rawFrame,
        BedrockStreamMessageType messageType,
        string? eventType,
        string? exceptionType,
        string? contentType,
        ReadOnlyMemory<byte> payload)
    {
        RawFrame = rawFrame;
        MessageType = messageType;
        EventType = eventType;
        ExceptionType = exceptionType;
        ContentType = contentType;
        Payload = payload;
    }

    /// <summary>The frame exactly as received (prelude, headers, payload, CRCs); valid until the next read.</summary>
    public ReadOnlyMemory<byte> RawFrame { get; }
    public BedrockStreamMessageType MessageType { get; }
    /// <summary>:event-type, e.g. contentBlockDelta, metadata or chunk; null unless an event.</summary>
    public string? EventType { get; }
    /// <summary>:exception-type (e.g. throttlingException), or :error-code for an error message.</summary>
    public string? ExceptionType { get; }
    /// <summary>:content-type of the payload, usually application/json.</summary>
    public string? ContentType { get; }
    /// <summary>The payload (a view into <see cref="RawFrame"/>); valid until the next read.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
