using System.Text;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockEventStreamTests
{
    [Fact]
    public void FrameBuilder_KnownVector_MatchesCrc32Check()
    {
        // The standard CRC-32/IEEE check value, so the builder itself is not circular.
        Assert.Equal(0xCBF43926u, EventStreamFrameBuilder.Crc32("123456789"u8));
    }

    [Fact]
    public async Task ReadNextAsync_EventsThenCleanEnd_ReturnsEachFrameThenNull()
    {
        byte[] first = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        byte[] second = EventStreamFrameBuilder.Event("metadata", """{"usage":{"inputTokens":3,"outputTokens":1}}""");
        await using BedrockEventStream stream = Open([.. first, .. second]);

        BedrockStreamEvent? a = await stream.ReadNextAsync(CancellationToken.None);
        Assert.NotNull(a);
        Assert.Equal(BedrockStreamMessageType.Event, a.MessageType);
        Assert.Equal("contentBlockDelta", a.EventType);
        Assert.Null(a.ExceptionType);
        Assert.Equal("application/json", a.ContentType);
        Assert.Equal("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""", Encoding.UTF8.GetString(a.Payload.Span));
        Assert.Equal(first, a.RawFrame.ToArray());

        BedrockStreamEvent? b = await stream.ReadNextAsync(CancellationToken.None);
        Assert.NotNull(b);
        Assert.Equal("metadata", b.EventType);
        Assert.Equal(second, b.RawFrame.ToArray());
        Assert.Equal("""{"usage":{"inputTokens":3,"outputTokens":1}}""", Encoding.UTF8.GetString(b.Payload.Span));

        Assert.Null(await stream.ReadNextAsync(CancellationToken.None));
        Assert.Null(await stream.ReadNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HasBufferedFrame_TwoFramesInOneRead_TrueOnlyWhileTheNextIsWhole()
    {
        byte[] first = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        byte[] second = EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}""");
        // One read brings the first frame, the second, and 5 bytes of a third.
        await using var stream = new BedrockEventStream(null, new MemoryStream([.. first, .. second, .. first[..5]]), BedrockResponseHeaders.Empty);

        Assert.False(stream.HasBufferedFrame);
        Assert.Equal(first, (await stream.ReadNextAsync(CancellationToken.None))!.RawFrame.ToArray());
        Assert.True(stream.HasBufferedFrame);
        Assert.Equal(second, (await stream.ReadNextAsync(CancellationToken.None))!.RawFrame.ToArray());
        Assert.False(stream.HasBufferedFrame);
        await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task NextFrameArrived_NextFrameAlreadyDelivered_ReadsItAheadWithoutWaiting()
    {
        byte[] first = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        byte[] second = EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}""");
        var body = new GatedStream();
        body.Release(first);
        body.Release(second);
        await using var stream = new BedrockEventStream(null, body, BedrockResponseHeaders.Empty);

        BedrockStreamEvent? a = await stream.ReadNextAsync(CancellationToken.None);
        // The second frame came in its own network read: not buffered yet, but already here.
        Assert.False(stream.HasBufferedFrame);
        Assert.True(stream.NextFrameArrived(CancellationToken.None));
        // Reading ahead went past the end of what was handed out: the first frame is intact.
        Assert.Equal(first, a!.RawFrame.ToArray());
        Assert.Equal(second, (await stream.ReadNextAsync(CancellationToken.None))!.RawFrame.ToArray());
    }

    [Fact]
    public async Task NextFrameArrived_BedrockStillGenerating_FalseAndTheWaitingReadDeliversTheFrameLater()
    {
        byte[] first = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        byte[] second = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" there"}}""");
        var body = new GatedStream();
        body.Release(first);
        await using var stream = new BedrockEventStream(null, body, BedrockResponseHeaders.Empty);
        await stream.ReadNextAsync(CancellationToken.None);

        Assert.False(stream.NextFrameArrived(CancellationToken.None));
        Assert.False(stream.NextFrameArrived(CancellationToken.None));
        ValueTask<BedrockStreamEvent?> next = stream.ReadNextAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        body.Release(second);
        Assert.Equal(second, (await next)!.RawFrame.ToArray());
    }

    [Fact]
    public async Task NextFrameArrived_EndOfBodyAlreadyDelivered_TrueThenCleanEnd()
    {
        byte[] only = EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}""");
        var body = new GatedStream();
        body.Release(only);
        body.End();
        await using var stream = new BedrockEventStream(null, body, BedrockResponseHeaders.Empty);
        await stream.ReadNextAsync(CancellationToken.None);

        Assert.True(stream.NextFrameArrived(CancellationToken.None));
        Assert.Null(await stream.ReadNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_ReadAheadStillWaiting_ReturnsWithoutWaitingForBedrock()
    {
        var body = new GatedStream();
        body.Release(EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""));
        var stream = new BedrockEventStream(null, body, BedrockResponseHeaders.Empty);
        await stream.ReadNextAsync(CancellationToken.None);
        Assert.False(stream.NextFrameArrived(CancellationToken.None));

        // The caller left while Bedrock was silent: disposing must not hang on the read.
        await stream.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReadNextAsync_NonStringHeadersBeforeTheTypes_SkipsThem()
    {
        byte[] frame = EventStreamFrameBuilder.WithHeaderBytes(
            [
                // :date (timestamp, type 8), then a bytes header (type 6) of 3 bytes, then the strings.
                .. EventStreamFrameBuilder.RawHeader(":date", 8, [0, 0, 1, 2, 3, 4, 5, 6]),
                .. EventStreamFrameBuilder.RawHeader("blob", 6, [0, 3, 9, 9, 9]),
                .. EventStreamFrameBuilder.RawHeader(":message-type", 7, [0, 5, .. "event"u8]),
                .. EventStreamFrameBuilder.RawHeader(":event-type", 7, [0, 8, .. "metadata"u8]),
            ],
            "{}"u8.ToArray());
        await using BedrockEventStream stream = Open(frame);

        BedrockStreamEvent? e = await stream.ReadNextAsync(CancellationToken.None);

        Assert.Equal("metadata", e!.EventType);
        Assert.Equal("{}", Encoding.UTF8.GetString(e.Payload.Span));
    }

    [Fact]
    public async Task ReadNextAsync_ExceptionFrame_ReportsExceptionType()
    {
        byte[] frame = EventStreamFrameBuilder.Exception("throttlingException", """{"message":"Too many tokens"}""");
        await using BedrockEventStream stream = Open(frame);

        BedrockStreamEvent? e = await stream.ReadNextAsync(CancellationToken.None);

        Assert.NotNull(e);
        Assert.Equal(BedrockStreamMessageType.Exception, e.MessageType);
        Assert.Equal("throttlingException", e.ExceptionType);
        Assert.Null(e.EventType);
        Assert.Equal("""{"message":"Too many tokens"}""", Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal(frame, e.RawFrame.ToArray());
    }

    [Fact]
    public async Task ReadNextAsync_ErrorFrame_ReportsErrorCode()
    {
        byte[] frame = EventStreamFrameBuilder.Frame(
            [(":message-type", "error"), (":error-code", "InternalFailure"), (":error-message", "boom")], []);
        await using BedrockEventStream stream = Open(frame);

        BedrockStreamEvent? e = await stream.ReadNextAsync(CancellationToken.None);

        Assert.NotNull(e);
        Assert.Equal(BedrockStreamMessageType.Error, e.MessageType);
        Assert.Equal("InternalFailure", e.ExceptionType);
        Assert.True(e.Payload.IsEmpty);
    }

    [Fact]
    public async Task ReadNextAsync_FrameLargerThanInitialBuffer_ReturnsWholeFrame()
    {
        string text = new('x', 100_000);
        byte[] frame = EventStreamFrameBuilder.Event("chunk", $$"""{"bytes":"{{text}}"}""");
        byte[] next = EventStreamFrameBuilder.Event("chunk", """{"bytes":"e30="}""");
        await using BedrockEventStream stream = Open([.. frame, .. next]);

        BedrockStreamEvent? e = await stream.ReadNextAsync(CancellationToken.None);
        Assert.NotNull(e);
        Assert.Equal(frame.Length, e.RawFrame.Length);
        Assert.Equal(frame, e.RawFrame.ToArray());
        Assert.Equal(next, (await stream.ReadNextAsync(CancellationToken.None))!.RawFrame.ToArray());
    }

    [Theory]
    [InlineData(2)]   // inside the 4 length bytes
    [InlineData(10)]  // inside the prelude
    [InlineData(30)]  // inside the headers
    [InlineData(-1)]  // missing the last CRC byte
    public async Task ReadNextAsync_BodyEndsMidFrame_ThrowsBedrockStreamException(int cut)
    {
        byte[] good = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
        byte[] partial = EventStreamFrameBuilder.Event("contentBlockDelta", """{"delta":{"text":"lost"}}""");
        int keep = cut > 0 ? cut : partial.Length + cut;
        await using BedrockEventStream stream = Open([.. good, .. partial.AsSpan(0, keep)]);

        Assert.NotNull(await stream.ReadNextAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
        Assert.Contains("ended inside a frame", error.Message, StringComparison.Ordinal);
        // Asking again must not look like a clean end.
        await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData(9)]    // prelude CRC covers the lengths
    [InlineData(40)]   // message CRC covers headers and payload
    public async Task ReadNextAsync_CorruptedByte_ThrowsBedrockStreamException(int index)
    {
        byte[] frame = EventStreamFrameBuilder.Event("contentBlockDelta", """{"delta":{"text":"Hello"}}""");
        frame[index] ^= 0x01;
        await using BedrockEventStream stream = Open(frame);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadNextAsync_ImpossibleLength_ThrowsBedrockStreamException()
    {
        await using BedrockEventStream stream = Open([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);

        await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadNextAsync_UpstreamConnectionFails_ThrowsBedrockStreamException()
    {
        await using var stream = new BedrockEventStream(null, new FailingStream(), BedrockResponseHeaders.Empty);

        var error = await Assert.ThrowsAsync<BedrockStreamException>(() => stream.ReadNextAsync(CancellationToken.None).AsTask());
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task ReadNextAsync_TokenCancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await using BedrockEventStream stream = Open(EventStreamFrameBuilder.Event("messageStart", "{}"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadNextAsync(cts.Token).AsTask());
    }

    private static BedrockEventStream Open(byte[] body) =>
        new(null, new TrickleStream(body), BedrockResponseHeaders.Empty);

    /// <summary>Returns at most 7 bytes per read, like a network that splits frames anywhere.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("connection reset"));
    }
}
