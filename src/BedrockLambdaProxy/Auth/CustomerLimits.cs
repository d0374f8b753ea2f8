namespace BedrockLambdaProxy.Auth;

/// <summary>
/// A customer's limits as stored on the customer item, or an API key's own limits on the key item (the same
/// set, applied inside the customer's); null means no limit.
/// </summary>
internal sealed record CustomerLimits(
    int? RequestsPerMinute,
    long? TokensPerMinute,
    long? TokensPerDay,
    long? MonthlyTokenQuota)
{
    public static CustomerLimits None { get; } = new(null, null, null, null);

    /// <summary>
    /// Most requests the customer may have in flight at once, across every instance
    /// (<see cref="Limits.ConcurrencySlots"/>); null means no cap and no extra DynamoDB write.
    /// </summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>
    /// Most US dollars the customer may spend per calendar month (UTC), in micro-dollars; null means no
    /// budget. Enforced like the monthly token quota, on a month-cost counter (docs/LIMITS.md, Dollar budgets).
    /// </summary>
    public long? MonthlyBudgetMicroUsd { get; init; }

    /// <summary>Whether any limit is set at all (counter limits or a concurrency cap).</summary>
    public bool Any => HasCounterLimits || MaxConcurrent is not null;

    /// <summary>Whether any limit lives on the counter item (requests, tokens or dollars), so admission must write it.</summary>
    public bool HasCounterLimits =>
        RequestsPerMinute is not null || TokensPerMinute is not null || TokensPerDay is not null || MonthlyTokenQuota is not null
        || MonthlyBudgetMicroUsd is not null;
}
