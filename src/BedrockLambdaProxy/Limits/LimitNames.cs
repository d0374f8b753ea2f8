namespace BedrockLambdaProxy.Limits;

/// <summary>The names a 429 reports, as they appear in error bodies and logs.</summary>
internal static class LimitNames
{
    public const string RequestsPerMinute = "requests_per_minute";
    public const string TokensPerMinute = "tokens_per_minute";
    public const string TokensPerDay = "tokens_per_day";
    public const string MonthlyTokenQuota = "monthly_token_quota";
    public const string MaxConcurrent = "max_concurrent";
    public const string MonthlyBudget = "monthly_budget";
}
