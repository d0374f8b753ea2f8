using System.Globalization;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// OpenAI-style rate-limit headers. Values: <c>x-ratelimit-limit-*</c> and <c>-remaining-*</c> are
/// whole numbers, or <c>unlimited</c> when the customer has no such limit; <c>-reset-*</c> is whole
/// seconds with an <c>s</c> suffix (e.g. <c>12s</c>), the time until the window is empty again.
/// </summary>
/// <remarks>
/// Requests report the per-minute limit (sliding window). Tokens report whichever token limit is
/// closest to exhaustion: per minute (sliding), per UTC day, or the monthly quota.
/// </remarks>
internal static class RateLimitHeaders
{
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";
    public const string RetryAfter = "Retry-After";
    public const string Unlimited = "unlimited";
    /// <summary>What is left of the customer's monthly dollar budget, in US dollars; only sent when there is a budget.</summary>
    public const string BudgetRemaining = "x-budget-remaining-usd";

    public static IReadOnlyList<KeyValuePair<string, string>> Build(
        CustomerLimits limits, WindowView view, DateTimeOffset now, TimeSpan? retryAfter)
    {
        long remainingMs = SlidingWindow.RemainingMs(now.ToUnixTimeMilliseconds());
        var headers = new List<KeyValuePair<string, string>>(7);

        if (limits.RequestsPerMinute is int rpm)
        {
            long used = view.RequestsCurrent + SlidingWindow.WeightedPrevious(view.RequestsPrevious, remainingMs);
            Add(headers, LimitRequests, rpm, Math.Max(0, rpm - used),
                SlidingWindow.FullResetMs(view.RequestsCurrent, view.RequestsPrevious, remainingMs));
        }
        else
        {
            AddUnlimited(headers, LimitRequests, RemainingRequests, ResetRequests);
        }

        (long Limit, long Remaining, long ResetMs)? binding = null;
        void Consider(long? limit, long used, long resetMs)
        {
            if (limit is long l && (binding is null || l - used < binding.Value.Remaining))
            {
                binding = (l, Math.Max(0, l - used), resetMs);
            }
        }
        Consider(limits.TokensPerMinute,
            view.TokensCurrent + SlidingWindow.WeightedPrevious(view.TokensPrevious, remainingMs),
            SlidingWindow.FullResetMs(view.TokensCurrent, view.TokensPrevious, remainingMs));
        Consider(limits.TokensPerDay, view.DayTokens, MsUntilNextDay(now));
        Consider(limits.MonthlyTokenQuota, view.MonthTokens, MsUntilNextMonth(now));
        if (binding is { } b)
        {
            Add(headers, LimitTokens, b.Limit, b.Remaining, b.ResetMs);
        }
        else
        {
            AddUnlimited(headers, LimitTokens, RemainingTokens, ResetTokens);
        }

        if (limits.MonthlyBudgetMicroUsd is long budget)
        {
            headers.Add(new(BudgetRemaining, Usd.Format(Math.Max(0, budget - view.MonthCost))));
        }
        if (retryAfter is TimeSpan wait)
        {
            headers.Add(new(RetryAfter, WholeSeconds((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }
        return headers;
    }

    /// <summary>
    /// The headers of a request admitted by two sets of limits (its customer's and its API key's own): for requests and
    /// for tokens, the set with fewer remaining (a number is tighter than <c>unlimited</c>); the smaller remaining budget;
    /// the longer Retry-After. Ties go to <paramref name="first"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Tighter(
        IReadOnlyList<KeyValuePair<string, string>> first, IReadOnlyList<KeyValuePair<string, string>> second)
    {
        var headers = new List<KeyValuePair<string, string>>(8);
        foreach ((string limit, string remaining, string reset) in (ReadOnlySpan<(string, string, string)>)
            [(LimitRequests, RemainingRequests, ResetRequests), (LimitTokens, RemainingTokens, ResetTokens)])
        {
            IReadOnlyList<KeyValuePair<string, string>> from =
                Remaining(second, remaining) < Remaining(first, remaining) ? second : first;
            foreach (string name in (ReadOnlySpan<string>)[limit, remaining, reset])
            {
                if (Find(from, name) is string value)
                {
                    headers.Add(new(name, value));
                }
            }
        }
        string? budget = Smaller(Find(first, BudgetRemaining), Find(second, BudgetRemaining));
        if (budget is not null)
        {
            headers.Add(new(BudgetRemaining, budget));
        }
        string? retry = Smaller(Find(first, RetryAfter), Find(second, RetryAfter), larger: true);
        if (retry is not null)
        {
            headers.Add(new(RetryAfter, retry));
        }
        return headers;
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (header.Key == name)
            {
                return header.Value;
            }
        }
        return null;
    }

    private static decimal Remaining(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        decimal.TryParse(Find(headers, name), NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value) ? value : decimal.MaxValue;

    private static string? Smaller(string? a, string? b, bool larger = false)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        decimal x = decimal.Parse(a, NumberStyles.Number, CultureInfo.InvariantCulture);
        decimal y = decimal.Parse(b, NumberStyles.Number, CultureInfo.InvariantCulture);
        return (larger ? y > x : y < x) ? b : a;
    }

    public static long WholeSeconds(long ms) => Math.Max(0, (ms + 999) / 1000);

    public static long MsUntilNextDay(DateTimeOffset now)
    {
        DateTime utc = now.UtcDateTime;
        return (long)(utc.Date.AddDays(1) - utc).TotalMilliseconds;
    }

    public static long MsUntilNextMonth(DateTimeOffset now)
    {
        DateTime utc = now.UtcDateTime;
        var monthStart = new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return (long)(monthStart.AddMonths(1) - utc).TotalMilliseconds;
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string limitName, long limit, long remaining, long resetMs)
    {
        string prefix = limitName.EndsWith("requests", StringComparison.Ordinal) ? "requests" : "tokens";
        headers.Add(new(limitName, limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-remaining-" + prefix, remaining.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-reset-" + prefix, WholeSeconds(resetMs).ToString(CultureInfo.InvariantCulture) + "s"));
    }

    private static void AddUnlimited(List<KeyValuePair<string, string>> headers, string limit, string remaining, string reset)
    {
        headers.Add(new(limit, Unlimited));
        headers.Add(new(remaining, Unlimited));
        headers.Add(new(reset, "0s"));
    }
}
