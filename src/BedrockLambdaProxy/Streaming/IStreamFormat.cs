using BedrockLambdaProxy.Events;

namespace BedrockLambdaProxy.Streaming;

/// <summary>
/// Turns a relayed ConverseStream into another wire format (OpenAI's chat chunks) instead of
/// passing its events on as they are: the relay, retries, deadline and billing stay the exchange's.
/// </summary>
internal interface IStreamFormat
{
    /// <summary>The sink for a streaming front, writing through the SSE sink the exchange opened.</summary>
    IStreamEventSink Streamed(SseEventSink sse);

    /// <summary>The sink for a buffered front: it collects and sends one answer through <paramref name="channel"/>.</summary>
    IStreamEventSink Buffered(HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers);
}
