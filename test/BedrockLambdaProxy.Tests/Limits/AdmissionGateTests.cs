using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class AdmissionGateTests
{
    private static readonly AdmissionDecision Admit = new()
    {
        IsAdmitted = true,
        Status = 200,
        Headers = [new("x-ratelimit-limit-requests", "10")],
    };

    private static readonly AdmissionDecision Refuse = new() { IsAdmitted = false, Status = 429, Headers = [] };

    [Fact]
    public async Task CallAsync_DecisionPending_CallStartsBeforeTheDecisionAndItsResultWaitsForIt()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);
        bool called = false;

        Task<string> result = gate.CallAsync(_ =>
        {
            called = true;
            return Task.FromResult("bedrock answer");
        }, CancellationToken.None);

        Assert.True(called);
        Assert.False(result.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => gate.Headers);
        decision.SetResult(Admit);
        Assert.Equal("bedrock answer", await result);
        Assert.Equal(Admit.Headers, gate.Headers);
    }

    [Fact]
    public async Task CallAsync_RefusedWhileCalling_CancelsTheCallDisposesItsResultAndThrowsTheRefusal()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);
        var answer = new DisposalProbe();

        Task<DisposalProbe> result = gate.CallAsync(answer.AnswerAsync, CancellationToken.None);
        decision.SetResult(Refuse);

        AdmissionRefusedException refused = await Assert.ThrowsAsync<AdmissionRefusedException>(() => result);
        Assert.Same(Refuse, refused.Decision);
        Assert.True(answer.Token.IsCancellationRequested);
        Assert.True(answer.Disposed);
    }

    [Fact]
    public async Task CallAsync_RefusedWhileBedrockStillAnswering_CancelsTheUnfinishedCall()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);

        Task<string> result = gate.CallAsync(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, CancellationToken.None);
        decision.SetResult(Refuse);

        await Assert.ThrowsAsync<AdmissionRefusedException>(() => result);
    }

    [Fact]
    public async Task CallAsync_BedrockFailsBeforeTheDecision_FailureSurfacesOnlyOnceAdmitted()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);

        Task<string> result = gate.CallAsync<string>(_ => Task.FromException<string>(new TimeoutException("bedrock")), CancellationToken.None);
        await Task.Yield();

        Assert.False(result.IsCompleted);
        decision.SetResult(Admit);
        await Assert.ThrowsAsync<TimeoutException>(() => result);
    }

    [Fact]
    public async Task CallAsync_BedrockFailsThenRefused_TheRefusalWins()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);

        Task<string> result = gate.CallAsync<string>(_ => Task.FromException<string>(new TimeoutException("bedrock")), CancellationToken.None);
        decision.SetResult(Refuse);

        await Assert.ThrowsAsync<AdmissionRefusedException>(() => result);
    }

    [Fact]
    public async Task CallAsync_AlreadyRefused_NeverCallsBedrock()
    {
        using var gate = new AdmissionGate(Task.FromResult(Refuse));
        bool called = false;

        await Assert.ThrowsAsync<AdmissionRefusedException>(() => gate.CallAsync(_ =>
        {
            called = true;
            return Task.FromResult("answer");
        }, CancellationToken.None));

        Assert.False(called);
    }

    [Fact]
    public async Task CallAsync_AdmissionCancelledByTheDeadline_CancelsTheCallAndClosesItsAnswer()
    {
        var decision = new TaskCompletionSource<AdmissionDecision>();
        using var gate = new AdmissionGate(decision.Task);
        var answer = new DisposalProbe();

        Task<DisposalProbe> result = gate.CallAsync(answer.AnswerAsync, CancellationToken.None);
        decision.SetException(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() => result);
        Assert.True(answer.Token.IsCancellationRequested);
        Assert.True(answer.Disposed);
    }

    /// <summary>A Bedrock answer that records the token its call was given and whether it was closed.</summary>
    private sealed class DisposalProbe : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public CancellationToken Token { get; private set; }

        public Task<DisposalProbe> AnswerAsync(CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            return Task.FromResult(this);
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
