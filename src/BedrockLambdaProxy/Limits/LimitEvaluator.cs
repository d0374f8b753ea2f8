using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Decides locally, from a snapshot of the counters, whether a request fits every limit. Used after
/// a conditional write failed, to tell "over a limit" from "the item changed under us"; it applies
/// exactly the thresholds <see cref="AdmissionWrite"/> puts into the condition expression.
/// </summary>
internal static class LimitEvaluator
{
    /// <summary>
    /// Tokens a request needs free to be admitted: its reservation, at least 1, at most the limit. A
    /// reservation larger than the whole limit is admitted only when the window is empty (nothing counted
    /// in it), so it can never join other requests in overshooting: N concurrent requests still use at most
    /// the limit plus one request's actual tokens, and a large request is slow rather than impossible.
    /// </summary>
    public static long TokenNeed(long reservedTokens, long limit) => Math.Clamp(reservedTokens, 1, Math.Max(1, limit));

    /// <summary>The exceeded limit the client must wait longest for, or null when the request fits.</summary>
    public static (string LimitName, long WaitMs)? FindExceeded(
        CustomerLimits limits, WindowView view, DateTimeOffset now, long reservedTokens, long reservedCostMicroUsd = 0)
    {
        long remainingMs = SlidingWindow.RemainingMs(now.ToUnixTimeMilliseconds());
        (string, long)? worst = null;
        void Exceeded(string name, long waitMs)
        {
            if (worst is null || waitMs > worst.Value.Item2)
            {
                worst = (name, Math.Max(waitMs, 1));
            }
        }

        if (limits.RequestsPerMinute is int rpm
            && !SlidingWindow.Allows(rpm, view.RequestsCurrent, view.RequestsPrevious, remainingMs, 1))
        {
            Exceeded(LimitNames.RequestsPerMinute,
                SlidingWindow.WaitMs(rpm, view.RequestsCurrent, view.RequestsPrevious, remainingMs, 1));
        }
        if (limits.TokensPerMinute is long tpm)
        {
            long need = TokenNeed(reservedTokens, tpm);
            if (!SlidingWindow.Allows(tpm, view.TokensCurrent, view.TokensPrevious, remainingMs, need))
            {
                Exceeded(LimitNames.TokensPerMinute,
                    SlidingWindow.WaitMs(tpm, view.TokensCurrent, view.TokensPrevious, remainingMs, need));
            }
        }
        if (limits.TokensPerDay is long tpd && view.DayTokens > tpd - TokenNeed(reservedTokens, tpd))
        {
            Exceeded(LimitNames.TokensPerDay, RateLimitHeaders.MsUntilNextDay(now));
        }
        if (limits.MonthlyTokenQuota is long quota && view.MonthTokens > quota - TokenNeed(reservedTokens, quota))
        {
            Exceeded(LimitNames.MonthlyTokenQuota, RateLimitHeaders.MsUntilNextMonth(now));
        }
        if (limits.MonthlyBudgetMicroUsd is long budget && view.MonthCost > budget - TokenNeed(reservedCostMicroUsd, budget))
        {
            // The same clamp as tokens: a request reserving more than the whole budget waits for an empty month.
            Exceeded(LimitNames.MonthlyBudget, RateLimitHeaders.MsUntilNextMonth(now));
        }
        return worst;
    }

    /// <summary>The refusal's message; for a token limit smaller than the reservation, says so.</summary>
    public static string Describe(string limitName, CustomerLimits limits, long reservedTokens, LimitScope? scope = null)
    {
        string message = Describe(limitName, limits, scope);
        long? tokenLimit = limitName switch
        {
            LimitNames.TokensPerMinute => limits.TokensPerMinute,
            LimitNames.TokensPerDay => limits.TokensPerDay,
            LimitNames.MonthlyTokenQuota => limits.MonthlyTokenQuota,
            _ => null,
        };
        return tokenLimit is long limit && reservedTokens > limit
            ? message + " The request reserves more than the whole limit, so it is admitted only once nothing else counts in that window."
            : message;
    }

    /// <summary>The budget refusal: the budget, what is left of it, and what the request reserves (all in US dollars).</summary>
    public static string DescribeBudget(CustomerLimits limits, WindowView view, long reservedCostMicroUsd, string modelId, LimitScope? scope = null)
    {
        long budget = limits.MonthlyBudgetMicroUsd ?? 0;
        return $"Monthly budget of {Usd.Format(budget)} USD is used up for {Owner(scope)}: {Usd.Format(Math.Max(0, budget - view.MonthCost))} USD remains this month (UTC), "
            + $"and this request reserves up to {Usd.Format(reservedCostMicroUsd)} USD (its reserved tokens at the prices of '{modelId}'); "
            + "lower max tokens or send less input, or wait for the next month.";
    }

    /// <summary>The refusal's message, naming whose limit it is (the customer's, or the API key's own).</summary>
    public static string Describe(string limitName, CustomerLimits limits, LimitScope? scope = null) => limitName switch
    {
        LimitNames.RequestsPerMinute => $"Rate limit exceeded: at most {limits.RequestsPerMinute} requests per minute for {Owner(scope)}.",
        LimitNames.TokensPerMinute => $"Rate limit exceeded: at most {limits.TokensPerMinute} tokens per minute for {Owner(scope)}.",
        LimitNames.TokensPerDay => $"Rate limit exceeded: at most {limits.TokensPerDay} tokens per day (UTC) for {Owner(scope)}.",
        LimitNames.MonthlyTokenQuota => $"Monthly token quota of {limits.MonthlyTokenQuota} tokens is used up for {Owner(scope)}.",
        LimitNames.MonthlyBudget => $"Monthly budget of {Usd.Format(limits.MonthlyBudgetMicroUsd ?? 0)} USD is used up for {Owner(scope)}.",
        _ => "Rate limit exceeded.",
    };

    private static string Owner(LimitScope? scope) => (scope ?? LimitScope.Customer).Owner;
}
