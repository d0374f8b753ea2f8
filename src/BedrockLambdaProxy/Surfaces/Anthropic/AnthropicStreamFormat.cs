using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Streaming;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>Anthropic's answer to a streamed Messages request: its own SSE events on a streaming front, one Messages JSON on a buffered one.</summary>
internal sealed class AnthropicStreamFormat : IStreamFormat
{
    public static AnthropicStreamFormat Instance { get; } = new();

    public IStreamEventSink Streamed(SseEventSink sse) => new AnthropicEventSink(sse);

    public IStreamEventSink Buffered(HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers) =>
        new AnthropicMessageCollector(channel, headers);
}
