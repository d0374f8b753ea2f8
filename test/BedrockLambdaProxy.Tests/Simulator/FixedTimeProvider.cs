namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>A clock stuck at one instant, for signature-expiry tests.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
