using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>What the handler is given per invocation: the event fields, the deadline token, the trace id.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class InvocationContextTests
{
    [Fact]
    public async Task RunAsync_NextHeaders_BecomeInvocationFields()
    {
        var seen = new TaskCompletionSource<Invocation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (invocation, responder, ct) =>
        {
            seen.TrySetResult(invocation);
            await responder.SendBufferedAsync("{}"u8.ToArray(), ct);
        });
        await using RunningLoop loop = RunningLoop.Start(handler);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(4_102_444_800_123);

        loop.Api.Enqueue(new FakeInvocation(
            "req-fields", "{\"k\":\"v\"}"u8.ToArray(), deadline, "Root=1-abc", "arn:aws:lambda:us-east-1:123456789012:function:proxy"));

        Invocation invocation = await seen.Task.WaitAsync(FakeRuntimeApi.Patience);
        Assert.Equal("req-fields", invocation.RequestId);
        Assert.Equal(deadline, invocation.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:proxy", invocation.FunctionArn);
        Assert.Equal("Root=1-abc", invocation.TraceId);
        Assert.Equal("{\"k\":\"v\"}"u8.ToArray(), invocation.Payload.ToArray());
    }

    [Fact]
    public async Task RunAsync_TraceIdHeader_SetsTraceVariableAndClearsItWhenAbsent()
    {
        var traces = new List<string?>();
        var handler = new DelegateHandler((_, responder, ct) =>
        {
            traces.Add(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
            return responder.SendBufferedAsync("{}"u8.ToArray(), ct);
        });
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-t1") with { TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" });
        loop.Api.Enqueue(FakeInvocation.Json("req-t2"));
        await loop.Api.NextPostAsync();
        await loop.Api.NextPostAsync();

        Assert.Equal(["Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", null], traces);
    }

    [Fact]
    public async Task RunAsync_DeadlinePasses_CancelsHandlerToken()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (_, responder, ct) =>
        {
            // Waits for the deadline itself: if the token never fired this would hang until the guard.
            await Task.Delay(Timeout.InfiniteTimeSpan, ct).ContinueWith(_ => cancelled.TrySetResult(), TaskScheduler.Default);
            await responder.SendBufferedAsync("{}"u8.ToArray(), CancellationToken.None);
        });
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-deadline") with { Deadline = DateTimeOffset.UtcNow.AddSeconds(1) });

        await cancelled.Task.WaitAsync(FakeRuntimeApi.Patience);
        RecordedRequest post = await loop.Api.NextPostAsync();
        Assert.Equal("/2018-06-01/runtime/invocation/req-deadline/response", post.Path);
    }

    [Fact]
    public async Task RunAsync_ClockReachesDeadlineMinusMargin_CancelsHandlerToken()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        var tokenSeen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (_, responder, ct) =>
        {
            tokenSeen.TrySetResult(ct);
            await release.Task;
            await responder.SendBufferedAsync("{}"u8.ToArray(), CancellationToken.None);
        });
        await using RunningLoop loop = RunningLoop.Start(handler, clock, TimeSpan.FromMilliseconds(500));

        loop.Api.Enqueue(FakeInvocation.Json("req-clock") with { Deadline = start.AddSeconds(10) });
        CancellationToken token = await tokenSeen.Task.WaitAsync(FakeRuntimeApi.Patience);

        clock.Advance(TimeSpan.FromSeconds(9.4));
        bool cancelledBeforeMargin = token.IsCancellationRequested;
        clock.Advance(TimeSpan.FromSeconds(0.1));
        bool cancelledAtMargin = token.IsCancellationRequested;
        release.SetResult();
        await loop.Api.NextPostAsync();

        Assert.False(cancelledBeforeMargin);
        Assert.True(cancelledAtMargin);
    }

    [Fact]
    public async Task RunAsync_DeadlineAlreadyPassed_HandlerTokenIsCancelled()
    {
        var wasCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler((_, responder, ct) =>
        {
            wasCancelled.TrySetResult(ct.IsCancellationRequested);
            return responder.SendBufferedAsync("{}"u8.ToArray(), CancellationToken.None);
        });
        await using RunningLoop loop = RunningLoop.Start(handler);

        loop.Api.Enqueue(FakeInvocation.Json("req-late") with { Deadline = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.True(await wasCancelled.Task.WaitAsync(FakeRuntimeApi.Patience));
    }
}
