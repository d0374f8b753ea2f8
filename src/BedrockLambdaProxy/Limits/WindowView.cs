namespace BedrockLambdaProxy.Limits;

/// <summary>Counters seen from one instant: the current and previous minute, today, this month.</summary>
internal readonly record struct WindowView(
    long RequestsCurrent,
    long RequestsPrevious,
    long TokensCurrent,
    long TokensPrevious,
    long DayTokens,
    long MonthTokens);
