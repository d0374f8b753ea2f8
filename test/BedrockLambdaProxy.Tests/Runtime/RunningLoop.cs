using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The runtime loop running against a fake Runtime API; disposing stops it and checks it exited cleanly.</summary>
internal sealed class RunningLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RunningLoop(FakeRuntimeApi api, Func<IInvocationHandler> createHandler, TimeProvider timeProvider, TimeSpan margin)
    {
        Api = api;
        Exit = LambdaBootstrap.RunAsync(api.HostPort, createHandler, timeProvider, margin, _stop.Token);
    }

    public FakeRuntimeApi Api { get; }

    /// <summary>The loop's exit code, once it ends.</summary>
    public Task<int> Exit { get; }

    public static RunningLoop Start(
        IInvocationHandler handler, TimeProvider? timeProvider = null, TimeSpan? margin = null) =>
        new(new FakeRuntimeApi(), () => handler, timeProvider ?? TimeProvider.System, margin ?? TimeSpan.Zero);

    public static RunningLoop Start(Func<IInvocationHandler> createHandler) =>
        new(new FakeRuntimeApi(), createHandler, TimeProvider.System, TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Exit.WaitAsync(FakeRuntimeApi.Patience);
        }
        finally
        {
            await Api.DisposeAsync();
            _stop.Dispose();
        }
    }
}
