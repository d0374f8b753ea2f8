using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class ReadAheadStreamTests
{
    [Fact]
    public async Task ReadAsync_SmallReads_OneReceiveServesManyAndBytesComeOutInOrder()
    {
        byte[] sent = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var inner = new CountingStream(sent);
        var stream = new ReadAheadStream(inner);

        var received = new MemoryStream();
        var piece = new byte[4096];
        int got;
        while ((got = await stream.ReadAsync(piece)) > 0)
        {
            received.Write(piece, 0, got);
        }

        Assert.Equal(sent, received.ToArray());
        // 10,000 bytes in 4 KB reads: one receive for all of it, one more to see the end.
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_ReceiveReturnsLess_ReturnsWhatArrivedWithoutWaitingForMore()
    {
        var inner = new CountingStream(new byte[100], maxPerRead: 30);
        var stream = new ReadAheadStream(inner);

        Assert.Equal(30, await stream.ReadAsync(new byte[4096]));
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_ZeroByteAndBigReads_GoStraightToTheConnection()
    {
        var inner = new CountingStream(new byte[200_000]);
        var stream = new ReadAheadStream(inner);

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal(ReadAheadStream.BufferLength + 1, await stream.ReadAsync(new byte[ReadAheadStream.BufferLength + 1]));
        Assert.Equal([0, ReadAheadStream.BufferLength + 1], inner.ReadSizes);
    }

    [Fact]
    public void Write_GoesThroughUnbuffered()
    {
        var inner = new CountingStream([]);
        using var stream = new ReadAheadStream(inner);

        stream.Write([1, 2, 3]);

        Assert.Equal([1, 2, 3], inner.Written.ToArray());
    }

    /// <summary>Serves <paramref name="data"/> at most <paramref name="maxPerRead"/> bytes per read and counts the reads.</summary>
    private sealed class CountingStream(byte[] data, int maxPerRead = int.MaxValue) : MemoryStream(data)
    {
        public int Reads => ReadSizes.Count;
        public List<int> ReadSizes { get; } = [];
        public MemoryStream Written { get; } = new();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadSizes.Add(buffer.Length);
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, maxPerRead)], cancellationToken);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Written.Write(buffer);
    }
}
