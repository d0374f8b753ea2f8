using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>
/// A local stack with no worker processes: the test itself plays the function through
/// <see cref="FakeFunction"/>, so the fronts and the Runtime API emulator are tested alone.
/// </summary>
public abstract class FakeFunctionStack : IAsyncLifetime
{
    protected static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private LocalStack? _stack;
    private FakeFunction? _function;

    protected HttpClient Client { get; } = new() { Timeout = Guard };

    internal LocalStack Stack => _stack ?? throw new InvalidOperationException("the stack is not running");

    internal FakeFunction Function => _function ?? throw new InvalidOperationException("the stack is not running");

    public async Task InitializeAsync()
    {
        _stack = await LocalStack.StartAsync(new LocalStackOptions { SpawnWorkers = false, WorkerCount = 1 }, CancellationToken.None);
        _function = new FakeFunction(_stack.RuntimeApiAddresses[0]);
    }

    public async Task DisposeAsync()
    {
        _function?.Dispose();
        Client.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
