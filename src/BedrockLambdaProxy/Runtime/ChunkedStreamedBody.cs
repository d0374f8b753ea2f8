using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace BedrockLambdaProxy.Runtime;

/// <summary>
/// A streamed <c>/invocation/{id}/response</c> written as raw HTTP/1.1 over its own TCP connection,
/// because ending a failed stream needs request trailers and HttpClient cannot send those.
/// One writer at a time: calls must not overlap.
/// </summary>
internal sealed class ChunkedStreamedBody : IStreamedBody, IAsyncDisposable
{
    /// <summary>
    /// Writes up to this size are copied into the pending chunk and sent with it; bigger ones (with
    /// nothing pending) go out as they are. Held bytes are sent once they reach this size as well.
    /// </summary>
    private const int CoalesceLimit = 64 * 1024;

    /// <summary>Room for an int in hex (8 digits) and CRLF.</summary>
    private const int MaxChunkHeader = 10;

    /// <summary>How long the end of a stream may wait for the Runtime API's answer.</summary>
    private static readonly TimeSpan EndTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly NetworkStream _stream;
    private State _state;

    /// <summary>
    /// The chunk being gathered: <see cref="MaxChunkHeader"/> bytes kept free for its size line,
    /// then <see cref="_pendingLength"/> bytes of data; framed and sent with one write.
    /// </summary>
    private byte[] _pending = [];
    private int _pendingLength;

    private ChunkedStreamedBody(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    private enum State
    {
        Open,
        Ended,
        Broken,
    }

    /// <summary>True once the body was completed, failed, or broken by a failed write.</summary>
    public bool IsEnded => _state != State.Open;

    /// <summary>Connects, sends the request head and the prelude chunk, and returns the open body.</summary>
    public static async Task<ChunkedStreamedBody> OpenAsync(
        RuntimeApiEndpoint endpoint, string requestId, HttpResponsePrelude prelude, CancellationToken cancellationToken)
    {
        // NoDelay: every chunk is a token or an event the client is waiting for; Nagle would hold
        // small chunks back until the previous one is acknowledged.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            var body = new ChunkedStreamedBody(socket);
            byte[] head = StreamedRequestHead.Build(endpoint, requestId, prelude);
            await body.SendAsync(head, cancellationToken).ConfigureAwait(false);
            return body;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        WriteAsync(data, flush: true, cancellationToken);

    // Pooled builders: a write per token must not allocate a state machine box per chunk.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, bool flush, CancellationToken cancellationToken)
    {
        CheckWritable(cancellationToken);
        if (_pendingLength == 0 && data.Length > CoalesceLimit)
        {
            // A big write goes out as it is rather than being copied: size line, data, CRLF.
            await SendLargeChunkAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A zero-length chunk is the end-of-body marker: an empty write adds nothing to the chunk.
        if (!data.IsEmpty)
        {
            data.Span.CopyTo(Room(data.Length));
            _pendingLength += data.Length;
        }
        await SendPendingAsync(flush, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The room is the pending chunk's own, right after its data: what is formatted there is not copied again.</summary>
    public Span<byte> Reserve(int length) => _state == State.Open ? Room(length) : new byte[length];

    public ValueTask WriteReservedAsync(int count, bool flush, CancellationToken cancellationToken)
    {
        try
        {
            CheckWritable(cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
        // Reserve never hands out more than the pending chunk has room for before the CRLF it keeps free.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _pending.Length - MaxChunkHeader - _pendingLength - Crlf.Length);
        _pendingLength += count;
        return SendPendingAsync(flush, cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_state == State.Broken)
        {
            // The chunk framing is unknown after a failed write; closing leaves the body
            // truncated, which the Runtime API reports as an error, never as a complete answer.
            await DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("The response stream broke on an earlier write and cannot complete.");
        }

        if (_state == State.Ended)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EndTimeout);
        await EndAsync(LastChunk, timeout.Token).ConfigureAwait(false);
    }

    public async Task FailAsync(string errorType, string errorMessage, CancellationToken cancellationToken)
    {
        if (_state == State.Broken)
        {
            await DisposeAsync().ConfigureAwait(false);
            return;
        }

        if (_state == State.Ended)
        {
            return;
        }

        // The caller's token is deliberately not used: a failure is most often reported because
        // that token fired (the deadline), and the trailers must still go out.
        using var timeout = new CancellationTokenSource(EndTimeout);
        await EndAsync(StreamedRequestHead.ErrorTrailers(errorType, errorMessage), timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _state = _state == State.Open ? State.Broken : _state;
        await _stream.DisposeAsync().ConfigureAwait(false);
        ReturnPending();
    }

    private async Task EndAsync(byte[] ending, CancellationToken cancellationToken)
    {
        try
        {
            if (_pendingLength > 0)
            {
                // The held bytes and the ending leave in one write.
                Room(ending.Length);
                int start = FramePending(out int end);
                _pendingLength = 0;
                ending.CopyTo(_pending.AsSpan(end));
                await SendAsync(_pending.AsMemory(start, end + ending.Length - start), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(ending, cancellationToken).ConfigureAwait(false);
            }
            _state = State.Ended;
            await RuntimeApiAnswer.ReadAcceptedAsync(_stream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _state = State.Ended;
            await _stream.DisposeAsync().ConfigureAwait(false);
            ReturnPending();
        }
    }

    /// <summary>
    /// Throws unless a write may go ahead. Checked before anything is added or sent, so the framing stays intact
    /// and FailAsync can still end the body with trailers; a cancellation in the middle of a send breaks the stream.
    /// </summary>
    private void CheckWritable(CancellationToken cancellationToken)
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException(_state == State.Broken
                ? "The response stream broke on an earlier write."
                : "The response stream has already ended.");
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Sends the pending chunk when asked to flush or once it has reached <see cref="CoalesceLimit"/>.</summary>
    private ValueTask SendPendingAsync(bool flush, CancellationToken cancellationToken)
    {
        if (_pendingLength == 0 || (!flush && _pendingLength < CoalesceLimit))
        {
            return ValueTask.CompletedTask;
        }
        int start = FramePending(out int end);
        _pendingLength = 0;
        return SendAsync(_pending.AsMemory(start, end - start), cancellationToken);
    }

    /// <summary>The next <paramref name="length"/> bytes of the pending chunk, growing it when needed.</summary>
    private Span<byte> Room(int length)
    {
        // Header room, data so far, this write, and the chunk's closing CRLF.
        int needed = MaxChunkHeader + _pendingLength + length + Crlf.Length;
        if (_pending.Length < needed)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 2 * CoalesceLimit));
            if (_pendingLength > 0)
            {
                _pending.AsSpan(MaxChunkHeader, _pendingLength).CopyTo(bigger.AsSpan(MaxChunkHeader));
            }
            ReturnPending();
            _pending = bigger;
        }
        return _pending.AsSpan(MaxChunkHeader + _pendingLength, length);
    }

    /// <summary>Writes the size line in front of the pending data and the CRLF after it; returns where the chunk starts.</summary>
    private int FramePending(out int end)
    {
        Span<byte> header = stackalloc byte[MaxChunkHeader];
        int headerLength = WriteChunkHeader(header, _pendingLength);
        int start = MaxChunkHeader - headerLength;
        header[..headerLength].CopyTo(_pending.AsSpan(start));
        end = MaxChunkHeader + _pendingLength;
        Crlf.CopyTo(_pending.AsSpan(end));
        end += Crlf.Length;
        return start;
    }

    private void ReturnPending()
    {
        if (_pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }
    }

    private async ValueTask SendLargeChunkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        byte[] header = ArrayPool<byte>.Shared.Rent(MaxChunkHeader);
        try
        {
            int length = WriteChunkHeader(header, data.Length);
            await SendAsync(header.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }

        await SendAsync(data, cancellationToken).ConfigureAwait(false);
        await SendAsync(Crlf, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            // NetworkStream does not buffer: when this returns, the bytes are in the socket.
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _state = State.Broken;
            throw;
        }
    }

    private static int WriteChunkHeader(Span<byte> destination, int size)
    {
        size.TryFormat(destination, out int written, "x", provider: null);
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }
}
