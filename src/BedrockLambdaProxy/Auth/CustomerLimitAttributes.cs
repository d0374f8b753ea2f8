namespace BedrockLambdaProxy.Auth;

/// <summary>Attribute names inside a customer item's <c>limits</c> map (absent = unlimited).</summary>
internal static class CustomerLimitAttributes
{
    public const string RequestsPerMinute = "requestsPerMinute";
    public const string TokensPerMinute = "tokensPerMinute";
    public const string TokensPerDay = "tokensPerDay";
    public const string MonthlyTokenQuota = "monthlyTokenQuota";
    public const string MaxConcurrent = "maxConcurrent";
    public const string MonthlyBudgetMicroUsd = "monthlyBudgetMicroUsd";

    public static IEnumerable<(string Name, long? Value)> Values(CustomerLimits limits)
    {
        yield return (RequestsPerMinute, limits.RequestsPerMinute);
        yield return (TokensPerMinute, limits.TokensPerMinute);
        yield return (TokensPerDay, limits.TokensPerDay);
        yield return (MonthlyTokenQuota, limits.MonthlyTokenQuota);
        yield return (MaxConcurrent, limits.MaxConcurrent);
        yield return (MonthlyBudgetMicroUsd, limits.MonthlyBudgetMicroUsd);
    }
}
