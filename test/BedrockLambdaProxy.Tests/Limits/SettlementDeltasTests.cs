using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class SettlementDeltasTests
{
    private static readonly DateTimeOffset Admitted = new(2026, 11, 30, 23, 59, 30, TimeSpan.Zero);
    private static readonly Settlement Reserved = new("c", 1000, CounterItem.MinuteOf(Admitted), CounterItem.DayOf(Admitted), "2026-11");

    [Fact]
    public void Compute_SameWindows_ReleasesTheUnusedReservation()
    {
        Assert.Equal(new SettlementDeltas(-700, -700, -700), SettlementDeltas.Compute(Reserved, new TokenUsage(200, 100), Admitted.AddSeconds(20)));
    }

    [Fact]
    public void Compute_WindowsOver_ChargesOnlyTheExcessAndReleasesNothing()
    {
        DateTimeOffset nextMonth = Admitted.AddMinutes(1);
        Assert.Equal(new SettlementDeltas(0, 0, 0), SettlementDeltas.Compute(Reserved, new TokenUsage(200, 100), nextMonth));
        Assert.Equal(new SettlementDeltas(500, 500, 500), SettlementDeltas.Compute(Reserved, new TokenUsage(1000, 500), nextMonth));
    }

    [Fact]
    public void Compute_NothingReserved_ChargesInputCacheWritesAndOutputButNotCacheReads()
    {
        var uncharged = new Settlement("c", 0, Reserved.Minute, Reserved.Day, Reserved.Month);
        var tokens = new TokenUsage(10, 5, CacheReadInputTokens: 99, CacheWriteInputTokens: 7);
        Assert.Equal(new SettlementDeltas(22, 22, 22), SettlementDeltas.Compute(uncharged, tokens, Admitted));
        Assert.True(SettlementDeltas.Compute(uncharged, null, Admitted).IsZero);
    }

    [Fact]
    public void TryClaim_SecondCaller_IsRefused()
    {
        var settlement = new Settlement("c", 10, 1, 1, "2026-11");
        Assert.True(settlement.TryClaim());
        Assert.False(settlement.TryClaim());
    }
}
