using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 23, 59, 45, TimeSpan.Zero);

    [Fact]
    public void Build_LimitedCustomer_ReportsTightestTokenLimitAndSecondsResets()
    {
        var limits = new CustomerLimits(60, 10_000, 50_000, 1_000_000);
        var view = new WindowView(RequestsCurrent: 10, RequestsPrevious: 0, TokensCurrent: 2000, TokensPrevious: 0, DayTokens: 49_000, MonthTokens: 900_000);

        IReadOnlyList<KeyValuePair<string, string>> headers = RateLimitHeaders.Build(limits, view, Now, TimeSpan.FromMilliseconds(2100));

        Assert.Equal(
            [
                new("x-ratelimit-limit-requests", "60"),
                new("x-ratelimit-remaining-requests", "50"),
                new("x-ratelimit-reset-requests", "75s"), // 15 s left in this minute, then the next one
                new("x-ratelimit-limit-tokens", "50000"), // the day has 1000 left, fewer than the minute's 8000
                new("x-ratelimit-remaining-tokens", "1000"),
                new("x-ratelimit-reset-tokens", "15s"),   // UTC midnight
                new("Retry-After", "3"),
            ],
            headers);
    }

    [Fact]
    public void Build_NoLimits_SaysUnlimited()
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = RateLimitHeaders.Build(CustomerLimits.None, default, Now, null);

        Assert.Equal(6, headers.Count);
        Assert.All(headers.Where(h => !h.Key.Contains("reset", StringComparison.Ordinal)), h => Assert.Equal("unlimited", h.Value));
    }

    [Fact]
    public void MsUntilNextMonth_LastDayOfMonth_CountsToTheFirst()
    {
        Assert.Equal(15_000, RateLimitHeaders.MsUntilNextMonth(Now));
    }
}
