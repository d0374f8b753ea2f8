namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Sliding-window-counter arithmetic for per-minute limits: the previous minute's count weighs in
/// proportionally to how much of it still overlaps the last 60 seconds, rounded up (never in the
/// caller's favour).
/// </summary>
/// <remarks>
/// Admit iff <c>current + ceil(previous × remainingMs / 60000) + need ≤ limit</c>. A burst of L at the
/// end of minute N leaves <c>previous = L</c>, so at the start of minute N+1 the weighted previous is
/// still ≈ L and almost nothing more is admitted: a burst straddling the boundary cannot double the
/// limit. All arithmetic is integer (Int128 against overflow), so the thresholds passed to DynamoDB
/// and the local re-evaluation after a failed condition agree exactly.
/// </remarks>
internal static class SlidingWindow
{
    public const long MinuteMs = 60_000;

    /// <summary>Milliseconds left in the minute that contains <paramref name="unixMs"/> (1..60000).</summary>
    public static long RemainingMs(long unixMs) => MinuteMs - (unixMs % MinuteMs);

    public static long WeightedPrevious(long previous, long remainingMs)
    {
        if (previous <= 0)
        {
            return 0;
        }
        Int128 product = (Int128)previous * remainingMs;
        return (long)((product + MinuteMs - 1) / MinuteMs);
    }

    /// <summary>Largest current count that still admits <paramref name="need"/> more (negative: none).</summary>
    public static long MaxCurrent(long limit, long previous, long remainingMs, long need) =>
        limit - WeightedPrevious(previous, remainingMs) - need;

    /// <summary>
    /// Largest count of the minute that just ended (becoming "previous") that still admits
    /// <paramref name="need"/> into the fresh minute: <c>ceil(p × rem / 60000) ≤ limit − need</c>.
    /// </summary>
    public static long MaxPreviousAfterRoll(long limit, long remainingMs, long need)
    {
        long budget = limit - need;
        if (budget < 0)
        {
            return -1;
        }
        Int128 max = (Int128)budget * MinuteMs / remainingMs;
        return max > long.MaxValue ? long.MaxValue : (long)max;
    }

    public static bool Allows(long limit, long current, long previous, long remainingMs, long need) =>
        current <= MaxCurrent(limit, previous, remainingMs, need);

    /// <summary>
    /// Milliseconds until <paramref name="need"/> more would be admitted if nothing else is admitted
    /// meanwhile; 0 when it would be admitted now.
    /// </summary>
    public static long WaitMs(long limit, long current, long previous, long remainingMs, long need)
    {
        if (Allows(limit, current, previous, remainingMs, need))
        {
            return 0;
        }
        // Later in this minute, as the previous minute's weight decays.
        long budget = limit - need - current;
        if (budget >= 0 && previous > 0)
        {
            long remainingAllowed = (long)((Int128)budget * MinuteMs / previous);
            if (remainingAllowed > 0)
            {
                return remainingMs - Math.Min(remainingMs, remainingAllowed);
            }
        }
        // In the next minute, where this minute's count becomes "previous".
        long nextBudget = limit - need;
        if (current <= 0)
        {
            return remainingMs;
        }
        long nextRemainingAllowed = nextBudget < 0 ? 0 : (long)Int128.Min((Int128)nextBudget * MinuteMs / current, MinuteMs);
        return remainingMs + (MinuteMs - nextRemainingAllowed);
    }

    /// <summary>Milliseconds until both minutes are empty again (the "reset" of the rate-limit headers).</summary>
    public static long FullResetMs(long current, long previous, long remainingMs) =>
        current > 0 ? remainingMs + MinuteMs : previous > 0 ? remainingMs : 0;
}
