using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// What the end of a request adds to the token counters: the actual tokens minus what admission
/// reserved. A negative correction (a reservation released) only goes into the window the
/// reservation went into; once that window is over its count is final, so only a positive
/// correction (more tokens than reserved) is charged, to the current window.
/// </summary>
/// <remarks>Tokens counted against limits are <see cref="TokenUsage.LimitedTokens"/> (input + cache writes + output), as Bedrock reported them.</remarks>
internal readonly record struct SettlementDeltas(long Minute, long Day, long Month)
{
    public bool IsZero => Minute == 0 && Day == 0 && Month == 0;

    public static SettlementDeltas Compute(Settlement settlement, TokenUsage? actual, DateTimeOffset now)
    {
        long used = actual?.LimitedTokens ?? 0;
        long delta = used - settlement.ReservedTokens;
        long positive = Math.Max(0, delta);
        return new SettlementDeltas(
            CounterItem.MinuteOf(now) == settlement.Minute ? delta : positive,
            CounterItem.DayOf(now) == settlement.Day ? delta : positive,
            CounterItem.MonthOf(now) == settlement.Month ? delta : positive);
    }
}
