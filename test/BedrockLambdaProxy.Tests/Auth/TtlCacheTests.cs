using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Auth;

public sealed class TtlCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGet_WithinRetention_ReturnsValueAndAge()
    {
        var time = new ManualTimeProvider(Start);
        var cache = new TtlCache<string>(time, TimeSpan.FromSeconds(60), capacity: 10);
        cache.Set("k", "v");
        time.Advance(TimeSpan.FromSeconds(59));

        Assert.True(cache.TryGet("k", out string value, out TimeSpan age));
        Assert.Equal("v", value);
        Assert.Equal(TimeSpan.FromSeconds(59), age);
    }

    [Fact]
    public void TryGet_AtRetention_ExpiredAndRemoved()
    {
        var time = new ManualTimeProvider(Start);
        var cache = new TtlCache<string>(time, TimeSpan.FromSeconds(60), capacity: 10);
        cache.Set("k", "v");
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.False(cache.TryGet("k", out _, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Set_Again_RestartsAge()
    {
        var time = new ManualTimeProvider(Start);
        var cache = new TtlCache<string>(time, TimeSpan.FromSeconds(60), capacity: 10);
        cache.Set("k", "old");
        time.Advance(TimeSpan.FromSeconds(50));
        cache.Set("k", "new");
        time.Advance(TimeSpan.FromSeconds(50));

        Assert.True(cache.TryGet("k", out string value, out TimeSpan age));
        Assert.Equal("new", value);
        Assert.Equal(TimeSpan.FromSeconds(50), age);
    }

    [Fact]
    public void Set_BeyondCapacity_StaysBounded()
    {
        var time = new ManualTimeProvider(Start);
        var cache = new TtlCache<int>(time, TimeSpan.FromSeconds(60), capacity: 100);
        for (int i = 0; i < 10_000; i++)
        {
            cache.Set("k" + i, i);
        }

        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet("k9999", out int last, out _));
        Assert.Equal(9999, last);
    }

    [Fact]
    public void Set_FullOfExpiredEntries_DropsExpiredFirst()
    {
        var time = new ManualTimeProvider(Start);
        var cache = new TtlCache<int>(time, TimeSpan.FromSeconds(60), capacity: 10);
        cache.Set("live", 1);
        time.Advance(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 9; i++)
        {
            cache.Set("old" + i, i);
        }
        time.Advance(TimeSpan.FromSeconds(45));
        // "live" is now 75 s old and expired; the nine others are 45 s old.
        cache.Set("new", 2);

        Assert.Equal(10, cache.Count);
        Assert.False(cache.TryGet("live", out _, out _));
        Assert.True(cache.TryGet("old0", out _, out _));
    }

    [Fact]
    public void Set_ZeroRetention_CachesNothing()
    {
        var cache = new TtlCache<string>(new ManualTimeProvider(Start), TimeSpan.Zero, capacity: 10);
        cache.Set("k", "v");

        Assert.False(cache.TryGet("k", out _, out _));
    }
}
