using System.Text;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The runtime loop against a fake Runtime API: responses, errors, and staying alive.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class LambdaBootstrapTests
{
    [Fact]
    public async Task RunAsync_HandlerSendsBuffered_PostsPayloadToResponsePath()
    {
        var handler = new DelegateHandler((invocation, responder, ct) =>
            responder.SendBufferedAsync(Encoding.UTF8.GetBytes("{\"echo\":" + Encoding.UTF8.GetString(invocation.Payload.Span) + "}"), ct));
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-a", "{\"n\":1}"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("POST", post.Method);
        Assert.Equal("/2018-06-01/runtime/invocation/req-a/response", post.Path);
        Assert.Equal("{\"echo\":{\"n\":1}}", post.BodyText);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsZero()
    {
        var handler = new DelegateHandler((_, responder, ct) => responder.SendBufferedAsync("{}"u8.ToArray(), ct));
        RunningLoop loop = RunningLoop.Start(handler);

        await loop.DisposeAsync();

        Assert.Equal(0, await loop.Exit);
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsBeforeResponding_PostsInvocationError()
    {
        var handler = new DelegateHandler((_, _, _) => throw new InvalidOperationException("boom"));
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-b"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("/2018-06-01/runtime/invocation/req-b/error", post.Path);
        Assert.Equal("InvalidOperationException", post.Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal("{\"errorMessage\":\"boom\",\"errorType\":\"InvalidOperationException\",\"stackTrace\":[]}", post.BodyText);
    }

    [Fact]
    public async Task RunAsync_CreateHandlerThrows_PostsInitErrorAndReturnsOne()
    {
        RunningLoop loop = RunningLoop.Start(() => throw new FileNotFoundException("no config"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        int exit = await loop.Exit.WaitAsync(FakeRuntimeApi.Patience);
        await loop.DisposeAsync();

        Assert.Equal(1, exit);
        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Equal("FileNotFoundException", post.Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal("{\"errorMessage\":\"no config\",\"errorType\":\"FileNotFoundException\",\"stackTrace\":[]}", post.BodyText);
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsOnFirstInvocation_AnswersSecondInvocation()
    {
        var handler = new DelegateHandler((invocation, responder, ct) => invocation.RequestId == "req-1"
            ? throw new InvalidOperationException("first fails")
            : responder.SendBufferedAsync("\"second ok\""u8.ToArray(), ct));
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-1"));
        loop.Api.Enqueue(FakeInvocation.Json("req-2"));

        RecordedRequest first = await loop.Api.NextPostAsync();
        RecordedRequest second = await loop.Api.NextPostAsync();
        Assert.Equal("/2018-06-01/runtime/invocation/req-1/error", first.Path);
        Assert.Equal("/2018-06-01/runtime/invocation/req-2/response", second.Path);
        Assert.Equal("\"second ok\"", second.BodyText);
    }

    [Fact]
    public async Task RunAsync_HandlerReturnsWithoutResponding_PostsNoResponseError()
    {
        var handler = new DelegateHandler((_, _, _) => Task.CompletedTask);
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-c"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("/2018-06-01/runtime/invocation/req-c/error", post.Path);
        Assert.Equal("Runtime.NoResponse", post.Header("Lambda-Runtime-Function-Error-Type"));
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsMidStream_EndsStreamWithErrorTrailers()
    {
        var handler = new DelegateHandler(async (_, responder, ct) =>
        {
            IStreamedBody body = await responder.StartHttpStreamAsync(new HttpResponsePrelude(200, [], []), ct);
            await body.WriteAsync("data: partial\n\n"u8.ToArray(), ct);
            throw new TimeoutException("upstream stalled");
        });
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-d"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("/2018-06-01/runtime/invocation/req-d/response", post.Path);
        Assert.Equal("TimeoutException", post.Trailer("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal(
            "{\"errorMessage\":\"upstream stalled\",\"errorType\":\"TimeoutException\",\"stackTrace\":[]}",
            Encoding.UTF8.GetString(Convert.FromBase64String(post.Trailer("Lambda-Runtime-Function-Error-Body")!)));
        Assert.EndsWith("\r\nf\r\ndata: partial\n\n\r\n0\r\nLambda-Runtime-Function-Error-Type: TimeoutException\r\n", post.RawText[..post.RawText.LastIndexOf("Lambda-Runtime-Function-Error-Body", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HandlerLeavesStreamOpen_EndsStreamWithErrorTrailers()
    {
        var handler = new DelegateHandler(async (_, responder, ct) =>
        {
            IStreamedBody body = await responder.StartHttpStreamAsync(new HttpResponsePrelude(200, [], []), ct);
            await body.WriteAsync("data: a\n\n"u8.ToArray(), ct);
        });
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-e"));

        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("Runtime.StreamNotCompleted", post.Trailer("Lambda-Runtime-Function-Error-Type"));
    }

    [Fact]
    public async Task RunAsync_RuntimeApiGoneWhileWaiting_ReturnsOne()
    {
        var handler = new DelegateHandler((_, responder, ct) => responder.SendBufferedAsync("{}"u8.ToArray(), ct));
        RunningLoop loop = RunningLoop.Start(handler);
        loop.Api.Enqueue(FakeInvocation.Json("req-f"));
        await loop.Api.NextPostAsync();

        // The loop is now long-polling /next again; the Runtime API disappears under it.
        await loop.Api.DisposeAsync();

        Assert.Equal(1, await loop.Exit.WaitAsync(FakeRuntimeApi.Patience));
        await loop.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_AddressNotHostPort_ReturnsOne()
    {
        var handler = new DelegateHandler((_, _, _) => Task.CompletedTask);

        int exit = await LambdaBootstrap.RunAsync("http://x/y", () => handler, CancellationToken.None);

        Assert.Equal(1, exit);
    }
}
