using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class SlidingWindowTests
{
    [Theory]
    [InlineData(50, 60_000, 50)] // start of the minute: the previous minute counts fully
    [InlineData(50, 30_000, 25)]
    [InlineData(50, 15_000, 13)] // 12.5 rounds up, never in the caller's favour
    [InlineData(50, 1, 1)]
    [InlineData(0, 60_000, 0)]
    public void WeightedPrevious_RemainingShare_RoundsUp(long previous, long remainingMs, long expected)
    {
        Assert.Equal(expected, SlidingWindow.WeightedPrevious(previous, remainingMs));
    }

    [Fact]
    public void MaxPreviousAfterRoll_AgreesWithAllowsForEveryPreviousCount()
    {
        foreach (long remaining in new long[] { 1, 999, 30_000, 45_001, 60_000 })
        {
            long max = SlidingWindow.MaxPreviousAfterRoll(50, remaining, 1);
            Assert.True(SlidingWindow.Allows(50, 0, max, remaining, 1));
            Assert.False(SlidingWindow.Allows(50, 0, max + 1, remaining, 1));
        }
    }

    [Fact]
    public void WaitMs_BoundaryBurst_IsWhenTheWeightHasDecayedEnough()
    {
        // Previous minute 50 of 50, nothing yet this minute, 60 s left: one more after 1.2 s.
        Assert.Equal(1200, SlidingWindow.WaitMs(50, 0, 50, 60_000, 1));
        // Current minute full: wait into the next minute, until ceil(50 × rem/60000) ≤ 49.
        Assert.Equal(10_000 + 1200, SlidingWindow.WaitMs(50, 50, 0, 10_000, 1));
        Assert.Equal(0, SlidingWindow.WaitMs(50, 10, 10, 60_000, 1));
    }

    [Fact]
    public void WaitMs_AfterWaiting_TheRequestIsAllowed()
    {
        // Walk a clock forward by WaitMs and check the request then fits, for many shapes.
        foreach ((long limit, long current, long previous, long remaining, long need) in new[]
        {
            (50L, 0L, 50L, 60_000L, 1L),
            (50L, 30L, 40L, 20_000L, 1L),
            (1000L, 900L, 0L, 5_000L, 300L),
            (1000L, 0L, 1000L, 1L, 1000L),
        })
        {
            long wait = SlidingWindow.WaitMs(limit, current, previous, remaining, need);
            long cur = current, prev = previous, rem = remaining - wait;
            if (rem <= 0)
            {
                (prev, cur, rem) = (current, 0, rem + SlidingWindow.MinuteMs);
            }
            Assert.True(SlidingWindow.Allows(limit, cur, prev, rem, need), $"{current}/{previous}/{remaining}/{need} wait {wait}");
        }
    }
}
