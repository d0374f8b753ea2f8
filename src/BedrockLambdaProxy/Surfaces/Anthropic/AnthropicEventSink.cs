using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// Anthropic's SSE stream from Bedrock's chunks: each chunk is already one Anthropic event, so it leaves as
/// <c>event: &lt;type&gt;</c> + <c>data: &lt;the chunk's JSON&gt;</c> as soon as it arrives, bytes unchanged (thinking
/// text and signatures included) but for Bedrock's invocation metrics. The stream ends after Bedrock's
/// <c>message_stop</c> with no <c>[DONE]</c> (Anthropic sends none); a failure ends it with Anthropic's
/// <c>event: error</c>, so no <c>message_stop</c> follows and no client mistakes it for a whole answer.
/// </summary>
internal sealed class AnthropicEventSink(SseEventSink sse) : IStreamEventSink
{
    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush: true, cancellationToken);

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken)
    {
        if (DeltaText.TryFind(json.Span, out Range text) && DeltaText.IsWholeEvent(json.Span, text))
        {
            // A plain text delta, nearly every chunk: no metrics to strip, and its text has no newline in it.
            return sse.WriteLineEventAsync(AnthropicEventJson.TextDeltaType, json, flush, cancellationToken);
        }
        return sse.WriteEventAsync(AnthropicEventJson.TypeOf(json.Span), AnthropicEventJson.WithoutInvocationMetrics(json), flush, cancellationToken);
    }

    /// <summary>A text delta and nothing else, as the relay found it for the bill: written without searching it again.</summary>
    public ValueTask WriteTextDeltaAsync(string? eventName, ReadOnlyMemory<byte> json, Range text, bool flush, CancellationToken cancellationToken) =>
        sse.WriteLineEventAsync(AnthropicEventJson.TextDeltaType, json, flush, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken) => sse.EndAsync(cancellationToken);

    public Task FailAsync(ApiError error, CancellationToken cancellationToken) => sse.FailAsync(error, cancellationToken);
}
