using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Streaming;

/// <summary>
/// Writes Server-Sent Events into a streamed response, one flush per event unless the relay says the
/// next event is already here (then they share a chunk). The payload bytes are copied into the
/// <c>data:</c> line as they are: nothing is parsed or re-serialised.
/// The BCL's SseFormatter pulls from an IAsyncEnumerable and always ends cleanly; a proxy must push
/// events as they arrive and, on failure, end with <c>event: error</c>, no <c>[DONE]</c> and the
/// runtime's error trailers, so the framing (a few bytes per the SSE spec) is written here.
/// One writer at a time: calls must not overlap.
/// </summary>
internal sealed class SseEventSink(IStreamedBody body, ErrorStyle style = ErrorStyle.Proxy) : IStreamEventSink
{
    public const string ContentType = "text/event-stream; charset=utf-8";

    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush: true, cancellationToken);

    // The payload is scanned once: Bedrock's JSON has no raw newline, and then the size is exact.
    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken) =>
        WriteAsync(eventName, json.Span, json.Span.IndexOf((byte)'\n'), flush, cancellationToken);

    /// <summary>
    /// As <see cref="WriteEventAsync(string?, ReadOnlyMemory{byte}, bool, CancellationToken)"/>, for a payload the
    /// caller knows has no newline in it (JSON it wrote itself, or an event whose strings hold no control character),
    /// so it is not scanned for one: one data line.
    /// </summary>
    public ValueTask WriteLineEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken) =>
        WriteAsync(eventName, json.Span, firstNewline: -1, flush, cancellationToken);

    // The event is framed straight into the body's pending chunk: its bytes are copied once, not twice.
    private ValueTask WriteAsync(string? eventName, ReadOnlySpan<byte> data, int firstNewline, bool flush, CancellationToken cancellationToken)
    {
        int length = Format(eventName, data, firstNewline, body.Reserve(MaxLength(eventName, data, firstNewline)));
        return body.WriteReservedAsync(length, flush, cancellationToken);
    }

    /// <summary>
    /// Writes bytes as they are, for a caller that frames an event itself in pieces (a <c>data:</c> line it grows
    /// as texts arrive, ended by its blank line): no framing is added and nothing is scanned.
    /// </summary>
    public ValueTask WriteRawAsync(ReadOnlyMemory<byte> bytes, bool flush, CancellationToken cancellationToken) =>
        body.WriteAsync(bytes, flush, cancellationToken);

    /// <summary>Sends what earlier writes without a flush left held (nothing when none did).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        body.WriteAsync(ReadOnlyMemory<byte>.Empty, flush: true, cancellationToken);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        // [DONE] is held and leaves with the end of the body, in one write.
        await body.WriteAsync(Done, flush: false, cancellationToken).ConfigureAwait(false);
        await body.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the body without <c>[DONE]</c>, for formats whose last event says the answer is complete (Anthropic's message_stop).</summary>
    public Task EndAsync(CancellationToken cancellationToken) => body.CompleteAsync(cancellationToken);

    public async Task FailAsync(ApiError error, CancellationToken cancellationToken)
    {
        try
        {
            byte[] payload = ErrorResponses.StreamErrorJson(error, style);
            await WriteEventAsync("error", payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The trailers are what the runtime (and a careful client) trust; send them even if
            // the error event could not be written because the caller is gone.
            await body.FailAsync(error.Type, error.Message, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The most bytes <see cref="Format"/> writes for this event (<paramref name="firstNewline"/>: the first '\n' in <paramref name="data"/>, or -1).</summary>
    private static int MaxLength(string? eventName, ReadOnlySpan<byte> data, int firstNewline) =>
        (eventName is null ? 0 : Encoding.UTF8.GetMaxByteCount(eventName.Length) + 8)
        + data.Length + ((firstNewline < 0 ? 1 : data[firstNewline..].Count((byte)'\n') + 1) * 7) + 1;

    /// <summary>Formats one event into <paramref name="destination"/>: optional <c>event:</c> line, one <c>data:</c> line per line of payload, blank line.</summary>
    private static int Format(string? eventName, ReadOnlySpan<byte> data, int firstNewline, Span<byte> destination)
    {
        int at = 0;
        if (eventName is not null)
        {
            at += Put(destination, at, "event: "u8);
            at += Encoding.UTF8.GetBytes(eventName, destination[at..]);
            destination[at++] = (byte)'\n';
        }
        // SSE: a newline inside data starts a new data line; the client joins them with "\n".
        // Bedrock's JSON has none (newlines in strings are escaped), so this is one data line.
        ReadOnlySpan<byte> rest = data;
        int newline = firstNewline;
        while (true)
        {
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            at += Put(destination, at, "data: "u8);
            at += Put(destination, at, line);
            destination[at++] = (byte)'\n';
            if (newline < 0)
            {
                break;
            }
            rest = rest[(newline + 1)..];
            newline = rest.IndexOf((byte)'\n');
        }
        destination[at++] = (byte)'\n';
        return at;
    }

    private static int Put(Span<byte> target, int at, ReadOnlySpan<byte> source)
    {
        source.CopyTo(target[at..]);
        return source.Length;
    }
}
