using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// A Bedrock application/vnd.amazon.eventstream response, read into one pooled buffer and handed
/// out one whole frame at a time (both CRCs checked). Each read from the network takes whatever
/// has arrived, often several frames; <see cref="NextFrameArrived"/> tells the relay whether the
/// next frame is already here (in the buffer, or delivered by the network without waiting), so it
/// can send what it has as one write exactly when the next frame would have to be waited for.
/// Disposing it before the end aborts the upstream request.
/// </summary>
internal sealed class BedrockEventStream : IAsyncDisposable
{
    /// <summary>Prelude (total length, headers length, prelude CRC) plus the message CRC.</summary>
    public const int MinFrameLength = 16;

    /// <summary>The event-stream format caps a message at 16 MiB; a bigger length means garbage.</summary>
    public const int MaxFrameLength = 16 * 1024 * 1024;

    /// <summary>Room for many typical frames (a text delta is 100 bytes to a few KB) per network read.</summary>
    private const int InitialBufferLength = 64 * 1024;

    /// <summary>
    /// Free room below which <see cref="NextFrameArrived"/> stops reading ahead: the relay then sends
    /// what it has (at most about a buffer's worth per write) and the next read compacts the buffer.
    /// </summary>
    private const int MinReadAheadRoom = 4 * 1024;

    private readonly HttpResponseMessage? _response;
    private readonly Stream _body;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _ended;
    private bool _failed;
    private bool _disposed;
    /// <summary>A read <see cref="NextFrameArrived"/> started that had to wait; the next read finishes it.</summary>
    private ValueTask<int>? _pendingRead;

    public BedrockEventStream(HttpResponseMessage? response, Stream body, BedrockResponseHeaders headers)
    {
        _response = response;
        _body = body;
        Headers = headers;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferLength);
    }

    /// <summary>The pass-through headers of the 200 response (x-amzn-RequestId, Content-Type, …).</summary>
    public BedrockResponseHeaders Headers { get; }

    /// <summary>The region that answered and the attempts it took; null only for streams not opened by <see cref="BedrockClient"/>.</summary>
    public BedrockRoute? Route { get; init; }

    /// <summary>
    /// True when the next frame has arrived whole already, so <see cref="ReadNextAsync"/> returns it
    /// without waiting on the network. False means the next read may wait for Bedrock.
    /// </summary>
    public bool HasBufferedFrame
    {
        get
        {
            int buffered = _end - _start;
            if (_failed || _ended || _disposed || buffered < 4)
            {
                return false;
            }
            // An impossible length also answers at once (with the error), so it counts as here.
            uint total = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start));
            return total is < MinFrameLength or > MaxFrameLength || buffered >= total;
        }
    }

    /// <summary>
    /// Like <see cref="HasBufferedFrame"/>, but first takes whatever the network has already
    /// delivered: reads into the free end of the buffer for as long as a read completes without
    /// waiting. A read that would wait is left pending for <see cref="ReadNextAsync"/> to finish, and
    /// the answer is false: the relay flushes exactly when the next frame is not here yet. The
    /// frame <see cref="ReadNextAsync"/> returned last stays valid (nothing before the end moves).
    /// </summary>
    public bool NextFrameArrived(CancellationToken cancellationToken)
    {
        while (!HasBufferedFrame)
        {
            if (_failed || _ended || _disposed || _pendingRead is not null || _buffer.Length - _end < MinReadAheadRoom)
            {
                // A pending read that already ended (an error, the end of the body) answers at once.
                return _pendingRead is { IsCompleted: true };
            }
            ValueTask<int> read = ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                _pendingRead = read;
                return read.IsCompleted;
            }
            int got = read.Result;
            if (got == 0)
            {
                _pendingRead = new ValueTask<int>(0);
                return true;
            }
            _end += got;
        }
        return true;
    }

    // Pooled builders (here, ReadFrameAsync, ReadAsync): every wait on the network suspends all three,
    // hundreds of times per long answer, and a box each was about 20 KB per MB streamed.
    /// <summary>
    /// The next frame, or null when the body ended cleanly on a frame boundary. Throws
    /// <see cref="BedrockStreamException"/> when the upstream stream breaks, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// The event's raw frame and payload are views of the buffer, valid until the next call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BedrockStreamEvent?> ReadNextAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            // A broken stream must never read as a clean end on a later call.
            throw new BedrockStreamException("Bedrock's event stream already failed.");
        }
        if (_ended)
        {
            return null;
        }
        try
        {
            // A frame already in the buffer is returned without an await: the common case under load.
            int length = BufferedFrameLength();
            return length > 0 ? Take(length) : await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BedrockStreamException or OperationCanceledException)
        {
            _failed = true;
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BedrockStreamEvent?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int length = BufferedFrameLength();
            if (length > 0)
            {
                return Take(length);
            }
            int got;
            if (_pendingRead is { } pending)
            {
                // Started by NextFrameArrived into the end of the buffer, which has not moved since.
                _pendingRead = null;
                got = await pending.ConfigureAwait(false);
            }
            else
            {
                MakeRoom(_end - _start < 4 ? MinFrameLength : FrameLength());
                got = await ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            if (got == 0)
            {
                return End();
            }
            _end += got;
        }
    }

    /// <summary>The length of the whole frame at the start of the buffer, or 0 if it has not fully arrived.</summary>
    private int BufferedFrameLength()
    {
        int buffered = _end - _start;
        if (buffered < 4)
        {
            return 0;
        }
        int length = FrameLength();
        return buffered >= length ? length : 0;
    }

    /// <summary>The announced length of the frame at the start of the buffer (at least 4 bytes are there).</summary>
    private int FrameLength()
    {
        uint total = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start));
        if (total is < MinFrameLength or > MaxFrameLength)
        {
            throw new BedrockStreamException($"Bedrock's event stream announced an impossible frame length {total}.");
        }
        return (int)total;
    }

    private BedrockStreamEvent Take(int length)
    {
        var frame = new ReadOnlyMemory<byte>(_buffer, _start, length);
        _start += length;
        return EventStreamFrameDecoder.Decode(frame);
    }

    private BedrockStreamEvent? End()
    {
        int buffered = _end - _start;
        if (buffered == 0)
        {
            _ended = true;
            return null;
        }
        throw buffered < 4
            ? new BedrockStreamException($"Bedrock's event stream ended inside a frame prelude ({buffered} of 4 length bytes).")
            : new BedrockStreamException($"Bedrock's event stream ended inside a frame ({buffered} of {FrameLength()} bytes).");
    }

    /// <summary>
    /// Moves the unfinished frame to the front (frames already handed out are no longer needed) and
    /// makes the buffer big enough for a frame of <paramref name="frameLength"/> bytes.
    /// </summary>
    private void MakeRoom(int frameLength)
    {
        int buffered = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            _start = 0;
            _end = buffered;
        }
        if (_buffer.Length < frameLength)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(frameLength);
            _buffer.AsSpan(0, buffered).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await _body.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A read aborted by our own token is the caller leaving, not Bedrock failing.
            cancellationToken.ThrowIfCancellationRequested();
            throw new BedrockStreamException("The connection to Bedrock failed in the middle of the event stream.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _body.DisposeAsync().ConfigureAwait(false);
        // Disposing an unfinished response closes its connection instead of draining it: that is the abort.
        _response?.Dispose();
        if (_pendingRead is { } pending)
        {
            _pendingRead = null;
            if (!pending.IsCompleted)
            {
                // A read still in flight may yet write into the buffer: it must never go back to
                // the pool (another request would get it), so the GC takes it instead.
                _buffer = [];
                return;
            }
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The stream had failed: nobody reads it any more.
            }
        }
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
