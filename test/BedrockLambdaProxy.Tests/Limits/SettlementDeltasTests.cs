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
    public void Compute_NothingReserved_ChargesActualTokens()
    {
        Assert.Equal(new SettlementDeltas(15, 15, 15), SettlementDeltas.Compute(null, new TokenUsage(10, 5, 99, 99), Admitted));
        Assert.True(SettlementDeltas.Compute(null, null, Admitted).IsZero);
    }
}
