using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// A loopback TCP proxy in front of dynalite that holds every request chunk for <see cref="Delay"/>
/// before passing it on: a slow DynamoDB, switched on and off while the stack runs. As a local
/// service started after dynalite, it points the function's DynamoDB endpoint at itself.
/// </summary>
internal sealed class DelayingTcpProxy : DynamoTcpRelay
{
    private long _delayTicks;

    public override string Name => "slow dynamodb (delaying proxy)";

    /// <summary>How long each chunk from the function waits before it reaches dynalite; zero passes it at once.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    protected override async Task ForwardToDynamoAsync(Stream fromFunction, Stream toDynamo)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await fromFunction.ReadAsync(buffer, Stopping)) > 0)
        {
            TimeSpan delay = Delay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, Stopping);
            }
            await toDynamo.WriteAsync(buffer.AsMemory(0, read), Stopping);
        }
    }
}
