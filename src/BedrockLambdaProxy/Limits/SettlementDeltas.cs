using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// What the end of a request adds to the token counters: the actual tokens minus what admission
/// reserved. A negative correction (a reservation released) only goes into the window the
/// reservation went into; once that window is over its count is final, so only a positive
/// correction (more tokens than reserved) is charged, to the current window.
/// </summary>
/// <remarks>
/// Tokens counted against limits are <see cref="TokenUsage.LimitedTokens"/> (input + cache writes + output), as Bedrock
/// reported them. The month-cost counter (dollar budget) follows the month's rule: the actual cost is the record's
/// CostMicroUsd, else the admission's price applied to the actual tokens, else 0.
/// </remarks>
internal readonly record struct SettlementDeltas(long Minute, long Day, long Month, long MonthCost = 0)
{
    public bool IsZero => Minute == 0 && Day == 0 && Month == 0 && MonthCost == 0;

    public static SettlementDeltas Compute(Settlement settlement, TokenUsage? actual, DateTimeOffset now, long? actualCostMicroUsd = null)
    {
        long cost = actualCostMicroUsd
            ?? (actual is not null && settlement.Price is { } price ? price.CostMicroUsd(actual) : 0);
        long costDelta = cost - settlement.ReservedCostMicroUsd;
        bool sameMonth = CounterItem.MonthOf(now) == settlement.Month;
        long used = actual?.LimitedTokens ?? 0;
        long delta = used - settlement.ReservedTokens;
        long positive = Math.Max(0, delta);
        return new SettlementDeltas(
            CounterItem.MinuteOf(now) == settlement.Minute ? delta : positive,
            CounterItem.DayOf(now) == settlement.Day ? delta : positive,
            sameMonth ? delta : positive,
            sameMonth ? costDelta : Math.Max(0, costDelta));
    }
}
