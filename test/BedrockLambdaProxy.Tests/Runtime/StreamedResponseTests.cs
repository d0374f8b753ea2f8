using System.Text;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The streamed response on the wire: request head, prelude chunk, chunk framing, endings.</summary>
public sealed class StreamedResponseTests : IAsyncLifetime
{
    private const string PreludeJson =
        "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/event-stream\",\"Cache-Control\":\"no-cache\"},\"cookies\":[]}";

    private static readonly HttpResponsePrelude Prelude = new(
        200,
        [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache")],
        []);

    private readonly FakeRuntimeApi _api = new();
    private RuntimeApiClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new RuntimeApiClient(RuntimeApiEndpoint.Parse(_api.HostPort));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task StartHttpStreamAsync_TwoWritesThenComplete_SendsExactChunkedRequest()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-1");

        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        await body.WriteAsync("data: a\n\n"u8.ToArray(), CancellationToken.None);
        await body.WriteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await body.WriteAsync("hello"u8.ToArray(), CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        string expected =
            "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n" +
            "Host: " + _api.HostPort + "\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Content-Type: application/vnd.awslambda.http-integration-response\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n" +
            "\r\n" +
            "71\r\n" + PreludeJson + "\0\0\0\0\0\0\0\0\r\n" +
            "9\r\ndata: a\n\n\r\n" +
            "5\r\nhello\r\n" +
            "0\r\n\r\n";
        Assert.Equal(0x71, PreludeJson.Length + 8);
        Assert.Equal(expected, request.RawText);
        Assert.True(responder.HasResponded);
    }

    [Fact]
    public async Task WriteAsync_BeforeComplete_ChunkReachesRuntimeApiAtOnce()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-live");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.WriteAsync("first"u8.ToArray(), CancellationToken.None);

        // The body is still open: the chunk can only be there if the write sent it immediately.
        await _api.WaitUntilReceivedAsync(text => text.EndsWith("\r\n5\r\nfirst\r\n", StringComparison.Ordinal));
        await body.CompleteAsync(CancellationToken.None);
        RecordedRequest request = await _api.NextPostAsync();
        Assert.EndsWith("5\r\nfirst\r\n0\r\n\r\n", request.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_HeldThenFlushed_OneChunkThenHeldBytesLeaveWithTheEnd()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-held");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.WriteAsync("one,"u8.ToArray(), flush: false, CancellationToken.None);
        await body.WriteAsync("two"u8.ToArray(), flush: true, CancellationToken.None);
        // The flushing write sent both as one chunk while the body is still open.
        await _api.WaitUntilReceivedAsync(text => text.EndsWith("\r\n7\r\none,two\r\n", StringComparison.Ordinal));
        await body.WriteAsync("three"u8.ToArray(), flush: false, CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.EndsWith("\r\n7\r\none,two\r\n5\r\nthree\r\n0\r\n\r\n", request.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteReservedAsync_FormattedInPlace_HeldWithCopiedWritesAndSentInOrder()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-reserved");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.WriteAsync("one,"u8.ToArray(), flush: false, CancellationToken.None);
        // More room than is used: only the counted bytes are written; the rest is given up.
        Span<byte> room = body.Reserve(16);
        "two,"u8.CopyTo(room);
        await body.WriteReservedAsync(4, flush: false, CancellationToken.None);
        "three"u8.CopyTo(body.Reserve(5));
        await body.WriteReservedAsync(5, flush: true, CancellationToken.None);
        await _api.WaitUntilReceivedAsync(text => text.EndsWith("\r\nd\r\none,two,three\r\n", StringComparison.Ordinal));
        // A big reservation grows the pending chunk past what was held, keeping it.
        await body.WriteAsync("four,"u8.ToArray(), flush: false, CancellationToken.None);
        Span<byte> big = body.Reserve(200_000);
        big[..100_000].Fill((byte)'x');
        await body.WriteReservedAsync(100_000, flush: false, CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.EndsWith("\r\nd\r\none,two,three\r\n186a5\r\nfour," + new string('x', 100_000) + "\r\n0\r\n\r\n", request.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteReservedAsync_CancelledAfterEnded_OrMoreThanReserved_ThrowsAndAddsNothing()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-reserved-refused");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        "never sent"u8.CopyTo(body.Reserve(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await body.WriteReservedAsync(10, flush: true, cancelled.Token));
        body.Reserve(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => body.WriteReservedAsync(1 << 20, flush: true, CancellationToken.None));
        "kept"u8.CopyTo(body.Reserve(4));
        await body.WriteReservedAsync(4, flush: false, CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        // Once ended, the room is scratch and the write that follows fails like any write after the end.
        "late"u8.CopyTo(body.Reserve(4));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await body.WriteReservedAsync(4, flush: true, CancellationToken.None));
        RecordedRequest request = await _api.NextPostAsync();
        Assert.EndsWith("\r\n4\r\nkept\r\n0\r\n\r\n", request.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("never sent", request.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("late", request.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailAsync_AfterHeldWrite_SendsHeldChunkBeforeTrailers()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-held-fail");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.WriteAsync("partial"u8.ToArray(), flush: false, CancellationToken.None);
        await body.FailAsync("Bedrock.ThrottlingException", "Too many tokens", CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.Contains("\r\n7\r\npartial\r\n0\r\nLambda-Runtime-Function-Error-Type: Bedrock.ThrottlingException\r\n", request.RawText, StringComparison.Ordinal);
        Assert.Equal("Bedrock.ThrottlingException", request.Trailer("Lambda-Runtime-Function-Error-Type"));
    }

    [Fact]
    public async Task FailAsync_MidStream_EndsWithErrorTrailers()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-2");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        await body.WriteAsync("partial"u8.ToArray(), CancellationToken.None);

        await body.FailAsync("Bedrock.ThrottlingException", "Too many tokens", CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        const string ErrorJson = "{\"errorMessage\":\"Too many tokens\",\"errorType\":\"Bedrock.ThrottlingException\",\"stackTrace\":[]}";
        string expectedEnding =
            "\r\n7\r\npartial\r\n" +
            "0\r\n" +
            "Lambda-Runtime-Function-Error-Type: Bedrock.ThrottlingException\r\n" +
            "Lambda-Runtime-Function-Error-Body: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ErrorJson)) + "\r\n" +
            "\r\n";
        Assert.EndsWith(expectedEnding, request.RawText, StringComparison.Ordinal);
        string? encoded = request.Trailer("Lambda-Runtime-Function-Error-Body");
        Assert.NotNull(encoded);
        Assert.Equal(ErrorJson, Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        Assert.Equal("Bedrock.ThrottlingException", request.Trailer("Lambda-Runtime-Function-Error-Type"));
    }

    [Fact]
    public async Task WriteAsync_LargerThanCoalesceLimit_SendsOneChunkWithHexSize()
    {
        byte[] large = new byte[20_000];
        new Random(7).NextBytes(large);
        var responder = new RuntimeInvocationResponder(_client, "req-large");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.WriteAsync(large, CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.Contains("\r\n4e20\r\n", request.RawText, StringComparison.Ordinal);
        Assert.Equal([.. Encoding.UTF8.GetBytes(PreludeJson), .. new byte[8], .. large], request.Body);
    }

    [Fact]
    public async Task CompleteAsync_CalledTwiceAndFailAfterwards_SendsOneEnding()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-3");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await body.CompleteAsync(CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);
        await body.FailAsync("Late", "too late", CancellationToken.None);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.EndsWith("\0\0\0\0\0\0\0\0\r\n0\r\n\r\n", request.RawText, StringComparison.Ordinal);
        Assert.Empty(request.Trailers);
    }

    [Fact]
    public async Task WriteAsync_AfterComplete_ThrowsInvalidOperation()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-4");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        await body.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await body.WriteAsync("x"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task SendBufferedAsync_AfterStreamStarted_ThrowsInvalidOperation()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-5");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => responder.SendBufferedAsync("{}"u8.ToArray(), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => responder.StartHttpStreamAsync(Prelude, CancellationToken.None));
        await body.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CompleteAsync_RuntimeApiRejects_ThrowsRuntimeApiException()
    {
        _api.PostStatus = 413;
        var responder = new RuntimeInvocationResponder(_client, "req-6");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);

        RuntimeApiException error = await Assert.ThrowsAsync<RuntimeApiException>(
            () => body.CompleteAsync(CancellationToken.None));

        Assert.Equal(413, error.StatusCode);
    }

    [Fact]
    public async Task SendBufferedAsync_RuntimeApiRejects_LeavesHasRespondedFalse()
    {
        _api.PostStatus = 413;
        var responder = new RuntimeInvocationResponder(_client, "req-7");

        await Assert.ThrowsAsync<RuntimeApiException>(
            () => responder.SendBufferedAsync("{}"u8.ToArray(), CancellationToken.None));

        Assert.False(responder.HasResponded);
    }

    [Fact]
    public async Task WriteAsync_TokenAlreadyCancelled_ThrowsAndFailStillSendsTrailers()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-8");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        await body.WriteAsync("a"u8.ToArray(), CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await body.WriteAsync("never sent"u8.ToArray(), cancelled.Token));
        await body.FailAsync("Deadline", "deadline reached", cancelled.Token);

        RecordedRequest request = await _api.NextPostAsync();
        Assert.Contains("\r\n1\r\na\r\n0\r\nLambda-Runtime-Function-Error-Type: Deadline\r\n", request.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("never sent", request.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_RuntimeApiDropsConnection_ThrowsThenFailClosesQuietly()
    {
        var responder = new RuntimeInvocationResponder(_client, "req-9");
        IStreamedBody body = await responder.StartHttpStreamAsync(Prelude, CancellationToken.None);
        await _api.WaitUntilReceivedAsync(text => text.Contains("\0\0\0\0\0\0\0\0\r\n", StringComparison.Ordinal));
        await _api.DisposeAsync();

        // The first writes after the peer closed may still land in the kernel's send buffer; a
        // later one must fail once the peer's reset arrives.
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            using var guard = new CancellationTokenSource(FakeRuntimeApi.Patience);
            while (true)
            {
                await body.WriteAsync(new byte[1024], CancellationToken.None);
                await Task.Delay(10, guard.Token);
            }
        });

        await body.FailAsync("Gone", "runtime went away", CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => body.CompleteAsync(CancellationToken.None));
    }
}
