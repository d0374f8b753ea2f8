using System.Runtime.CompilerServices;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The stream under each Bedrock connection (below TLS, which HttpClient layers on top): one receive
/// takes whatever the socket holds, up to 64 KB, and HttpClient's reads are then served from memory.
/// HttpClient reads a connection 4 KB at a time, so a streamed answer that arrives faster than it is
/// relayed cost a system call per 4 KB (about 2,900 for a 10 MB answer over plain HTTP, each with its
/// trip through the socket event loop); with this, one per 64 KB or per burst, whichever is smaller.
/// A receive still returns as soon as anything has arrived, so nothing waits for a buffer to fill.
/// Writes go straight through.
/// </summary>
internal sealed class ReadAheadStream(Stream inner) : Stream
{
    internal const int BufferLength = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferLength];
    private int _start;
    private int _end;

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            if (buffer.IsEmpty || buffer.Length >= BufferLength)
            {
                return inner.Read(buffer);
            }
            Filled(inner.Read(_buffer));
        }
        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start < _end)
        {
            // The common case: served from what the last receive brought, without an await.
            return new ValueTask<int>(Take(buffer.Span));
        }
        // A zero-byte read waits for data without taking any; a big one needs no staging.
        return buffer.IsEmpty || buffer.Length >= BufferLength ? inner.ReadAsync(buffer, cancellationToken) : FillAndTakeAsync(buffer, cancellationToken);
    }

    // Pooled builder: a receive that has to wait must not allocate a state machine box each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillAndTakeAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int got = await inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        Filled(got);
        return Take(buffer.Span);
    }

    private void Filled(int got)
    {
        _start = 0;
        _end = got;
    }

    private int Take(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
