using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Streaming;

/// <summary>Where the events of a streamed Bedrock answer go: to the caller as they come, or collected.</summary>
internal interface IStreamEventSink
{
    /// <summary>Delivers one event. <paramref name="eventName"/> is null for InvokeModel chunks (plain model JSON).</summary>
    ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Ends the answer as complete.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Ends the answer as failed, visibly: it must never look complete.</summary>
    Task FailAsync(ApiError error, CancellationToken cancellationToken);
}
