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

    /// <summary>Ends the answer as complete.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Ends the answer as failed, visibly: it must never look complete.</summary>
    Task FailAsync(ApiError error, CancellationToken cancellationToken);
}
