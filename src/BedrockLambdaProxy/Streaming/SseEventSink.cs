using System.Buffers;
using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Streaming;

/// <summary>
/// Writes Server-Sent Events into a streamed response, one chunk (and one flush) per event.
/// The BCL's SseFormatter pulls from an IAsyncEnumerable and always ends cleanly; a proxy must push
/// events as they arrive and, on failure, end with <c>event: error</c>, no <c>[DONE]</c> and the
/// runtime's error trailers, so the framing (a few bytes per the SSE spec) is written here.
/// </summary>
internal sealed class SseEventSink(IStreamedBody body, ErrorStyle style = ErrorStyle.Proxy) : IStreamEventSink
{
    public const string ContentType = "text/event-stream; charset=utf-8";

    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        byte[] frame = Format(eventName, json.Span, out int length);
        return WriteAndReturnAsync(frame, length, cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await body.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

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

    /// <summary>Formats one event: optional <c>event:</c> line, one <c>data:</c> line per line of payload, blank line.</summary>
    internal static byte[] Format(string? eventName, ReadOnlySpan<byte> data, out int length)
    {
        int nameBytes = eventName is null ? 0 : Encoding.UTF8.GetByteCount(eventName);
        int lines = 1;
        foreach (byte b in data)
        {
            if (b == (byte)'\n')
            {
                lines++;
            }
        }
        byte[] frame = ArrayPool<byte>.Shared.Rent(nameBytes + 8 + data.Length + lines * 7 + 1);
        int at = 0;
        if (eventName is not null)
        {
            at += Put(frame, at, "event: "u8);
            at += Encoding.UTF8.GetBytes(eventName, frame.AsSpan(at));
            frame[at++] = (byte)'\n';
        }
        // SSE: a newline inside data starts a new data line; the client joins them with "\n".
        ReadOnlySpan<byte> rest = data;
        while (true)
        {
            int newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            at += Put(frame, at, "data: "u8);
            at += Put(frame, at, line);
            frame[at++] = (byte)'\n';
            if (newline < 0)
            {
                break;
            }
            rest = rest[(newline + 1)..];
        }
        frame[at++] = (byte)'\n';
        length = at;
        return frame;
    }

    private static int Put(byte[] target, int at, ReadOnlySpan<byte> source)
    {
        source.CopyTo(target.AsSpan(at));
        return source.Length;
    }

    private async ValueTask WriteAndReturnAsync(byte[] frame, int length, CancellationToken cancellationToken)
    {
        try
        {
            await body.WriteAsync(frame.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }
}
