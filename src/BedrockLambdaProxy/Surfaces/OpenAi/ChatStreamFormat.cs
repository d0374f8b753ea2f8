using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Streaming;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>OpenAI's answer to a streamed chat request: chunks on a streaming front, one completion on a buffered one.</summary>
internal sealed class ChatStreamFormat(string id, long created, string model, bool includeUsage) : IStreamFormat
{
    public IStreamEventSink Streamed(SseEventSink sse) => new ChatChunkSink(sse, id, created, model, includeUsage);

    public IStreamEventSink Buffered(HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers) =>
        new ChatCompletionCollector(channel, headers, id, created, model);
}
