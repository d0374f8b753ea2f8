using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class RegionCircuitBreakerTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RecordFailure_BelowThreshold_StaysClosed()
    {
        var breaker = NewBreaker();

        Assert.False(breaker.RecordFailure());
        Assert.False(breaker.RecordFailure());

        Assert.Equal(RegionCircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAdmit());
    }

    [Fact]
    public void RecordFailure_ThirdInARow_OpensAndRefuses()
    {
        var breaker = NewBreaker();
        breaker.RecordFailure();
        breaker.RecordFailure();

        Assert.True(breaker.RecordFailure());

        Assert.Equal(RegionCircuitState.Open, breaker.State);
        Assert.False(breaker.TryAdmit());
    }

    [Fact]
    public void RecordSuccess_BetweenFailures_ResetsTheCount()
    {
        var breaker = NewBreaker();
        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.RecordSuccess();
        breaker.RecordFailure();
        breaker.RecordFailure();

        Assert.Equal(RegionCircuitState.Closed, breaker.State);
    }

    [Fact]
    public void TryAdmit_CooldownOver_AdmitsExactlyOneProbe()
    {
        var breaker = Opened();
        _time.Advance(Cooldown - TimeSpan.FromMilliseconds(1));
        Assert.False(breaker.TryAdmit());

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(RegionCircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAdmit());
        Assert.False(breaker.TryAdmit()); // a second request while the probe runs is kept away
    }

    [Fact]
    public void RecordSuccess_OfTheProbe_Closes()
    {
        var breaker = Opened();
        _time.Advance(Cooldown);
        Assert.True(breaker.TryAdmit());

        Assert.True(breaker.RecordSuccess());

        Assert.Equal(RegionCircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAdmit());
        Assert.True(breaker.TryAdmit());
    }

    [Fact]
    public void RecordFailure_OfTheProbe_OpensForAnotherFullCooldown()
    {
        var breaker = Opened();
        _time.Advance(Cooldown);
        Assert.True(breaker.TryAdmit());

        breaker.RecordFailure();

        Assert.Equal(RegionCircuitState.Open, breaker.State);
        _time.Advance(Cooldown - TimeSpan.FromSeconds(1));
        Assert.False(breaker.TryAdmit());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryAdmit());
    }

    [Fact]
    public void Abandon_OfTheProbe_LetsTheNextRequestProbe()
    {
        var breaker = Opened();
        _time.Advance(Cooldown);
        Assert.True(breaker.TryAdmit());

        breaker.Abandon();

        Assert.Equal(RegionCircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAdmit());
    }

    [Fact]
    public void LastFailure_RecordsTheClock()
    {
        var breaker = NewBreaker();
        Assert.Equal(DateTimeOffset.MinValue, breaker.LastFailure);
        _time.Advance(TimeSpan.FromSeconds(5));

        breaker.RecordFailure();

        Assert.Equal(_time.GetUtcNow(), breaker.LastFailure);
    }

    private RegionCircuitBreaker Opened()
    {
        var breaker = NewBreaker();
        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.RecordFailure();
        return breaker;
    }

    private RegionCircuitBreaker NewBreaker() => new("us-east-1", failureThreshold: 3, Cooldown, _time);
}
