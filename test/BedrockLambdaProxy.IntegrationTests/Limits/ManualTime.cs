namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>A clock the test sets by hand, so window boundaries are exact.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public DateTimeOffset Now
    {
        get => _now;
        set => _now = value;
    }

    public override DateTimeOffset GetUtcNow() => _now;
}
