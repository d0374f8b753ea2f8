using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Streaming;

/// <summary>Where the events of a streamed Bedrock answer go: to the caller as they come, or collected.</summary>
internal interface IStreamEventSink
{
    /// <summary>Delivers one event. <paramref name="eventName"/> is null for InvokeModel chunks (plain model JSON).</summary>
    ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers one event; <paramref name="flush"/> false says the next event is already at hand, so
    /// a streaming sink may send both in one write (see <see cref="Runtime.IStreamedBody.WriteAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>).
    /// </summary>
    ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, cancellationToken);

    /// <summary>
    /// Delivers an event that is a plain text delta (a ConverseStream <c>contentBlockDelta</c> holding only text, or an
    /// InvokeModel chunk that is a <c>text_delta</c> and nothing else), whose verbatim text the relay has already
    /// found (<see cref="Bedrock.DeltaText.TryFind"/>, for the bill): <paramref name="text"/> is where it is in
    /// <paramref name="json"/>. A sink that reads text deltas takes it from there rather than searching again;
    /// every other sink writes the event as it is.
    /// </summary>
    ValueTask WriteTextDeltaAsync(string? eventName, ReadOnlyMemory<byte> json, Range text, bool flush, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush, cancellationToken);

    /// <summary>Ends the answer as complete.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Ends the answer as failed, visibly: it must never look complete.</summary>
    Task FailAsync(ApiError error, CancellationToken cancellationToken);
}
