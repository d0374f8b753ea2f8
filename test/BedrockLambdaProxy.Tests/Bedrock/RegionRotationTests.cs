using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class RegionRotationTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Advance_AllHealthy_VisitsInConfiguredOrderThenWrapsAround()
    {
        var rotation = new RegionRotation(Breakers("a", "b", "c"));

        Assert.Equal(0, rotation.Advance());
        Assert.False(rotation.MovedRegion);
        Assert.False(rotation.Revisits);
        Assert.Equal(2, rotation.RegionsLeftToTry());
        Assert.Equal(1, rotation.Advance());
        Assert.True(rotation.MovedRegion);
        Assert.False(rotation.Revisits);
        Assert.Equal(2, rotation.Advance());
        Assert.Equal(0, rotation.RegionsLeftToTry());
        Assert.Equal(0, rotation.Advance());
        Assert.True(rotation.Revisits);
        Assert.Equal(0, rotation.RegionsLeftToTry());
    }

    [Fact]
    public void Advance_FirstRegionOpen_StartsAtTheSecond()
    {
        RegionCircuitBreaker[] breakers = Breakers("a", "b");
        Open(breakers[0]);
        var rotation = new RegionRotation(breakers);

        Assert.Equal(1, rotation.Advance());
        // a is untried but open: no later attempt could go there.
        Assert.Equal(0, rotation.RegionsLeftToTry());
        // Only b is admitted, so a second attempt returns to b (after a backoff) instead of the open a.
        Assert.Equal(1, rotation.Advance());
        Assert.True(rotation.Revisits);
        Assert.False(rotation.MovedRegion);
    }

    [Fact]
    public void Advance_EveryRegionOpen_TriesTheLeastRecentlyFailedAnyway()
    {
        RegionCircuitBreaker[] breakers = Breakers("a", "b", "c");
        Open(breakers[1]);
        _time.Advance(TimeSpan.FromSeconds(1));
        Open(breakers[2]);
        _time.Advance(TimeSpan.FromSeconds(1));
        Open(breakers[0]);
        var rotation = new RegionRotation(breakers);

        Assert.Equal(1, rotation.Advance());
        breakers[1].RecordFailure(); // the forced attempt failed too: now c is the least recently failed
        Assert.Equal(2, rotation.Advance());
        Assert.True(rotation.MovedRegion);
    }

    [Fact]
    public void Advance_HalfOpenPrimary_ProbesItFirstAndKeepsOthersAway()
    {
        RegionCircuitBreaker[] breakers = Breakers("a", "b");
        Open(breakers[0]);
        _time.Advance(Cooldown);

        Assert.Equal(0, new RegionRotation(breakers).Advance());
        // While that probe runs, a concurrent request goes to b.
        Assert.Equal(1, new RegionRotation(breakers).Advance());
    }

    [Fact]
    public void Advance_SingleRegion_AlwaysThatRegionAndEveryRetryRevisits()
    {
        RegionCircuitBreaker[] breakers = Breakers("only");
        var rotation = new RegionRotation(breakers);

        Assert.Equal(0, rotation.Advance());
        Open(breakers[0]);
        Assert.Equal(0, rotation.Advance());
        Assert.True(rotation.Revisits);
    }

    private static void Open(RegionCircuitBreaker breaker)
    {
        while (breaker.State != RegionCircuitState.Open)
        {
            breaker.RecordFailure();
        }
    }

    private RegionCircuitBreaker[] Breakers(params string[] names) =>
        names.Select(n => new RegionCircuitBreaker(n, 3, Cooldown, _time)).ToArray();
}
