namespace BedrockLambdaProxy.Limits;

/// <summary>Counters seen from one instant: the current and previous minute, today, this month (tokens, and cost in micro-dollars).</summary>
internal readonly record struct WindowView(
    long RequestsCurrent,
    long RequestsPrevious,
    long TokensCurrent,
    long TokensPrevious,
    long DayTokens,
    long MonthTokens,
    long MonthCost = 0);
