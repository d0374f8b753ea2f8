using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>A running local stack around one executable, shared by a test class; worker output is captured.</summary>
public abstract class LocalStackFixture : IAsyncLifetime
{
    private LocalStack? _stack;

    /// <summary>HTTP client for the fronts; its timeout is a failure guard, not a measurement.</summary>
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    internal LocalStack Stack => _stack ?? throw new InvalidOperationException("the stack is not running");

    internal abstract string ExecutablePath { get; }

    /// <summary>Per-fixture tuning (timeouts, environment).</summary>
    internal virtual void Configure(LocalStackOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new LocalStackOptions { BootstrapPath = ExecutablePath, WorkerCount = 2 };
        Configure(options);
        _stack = await LocalStack.StartAsync(options, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

/// <summary>The stack running the test function (streams, waits, throws on request).</summary>
public sealed class TestFunctionStackFixture : LocalStackFixture
{
    /// <summary>Short enough for the timeout test to finish quickly, long enough for a busy machine.</summary>
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(8);

    internal override string ExecutablePath => RepositoryPaths.TestFunction;

    internal override void Configure(LocalStackOptions options) => options.FunctionTimeout = FunctionTimeout;
}

/// <summary>The stack running the real published bootstrap.</summary>
public sealed class BootstrapStackFixture : LocalStackFixture
{
    internal override string ExecutablePath => RepositoryPaths.Bootstrap;
}
