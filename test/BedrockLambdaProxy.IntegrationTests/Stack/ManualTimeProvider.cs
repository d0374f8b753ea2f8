namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>A clock that moves only when the test says so, so cache expiries and window boundaries are exact.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
