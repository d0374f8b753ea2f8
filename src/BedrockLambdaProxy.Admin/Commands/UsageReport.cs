using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>One customer's month: the aggregate (null when nothing was recorded) and the records.</summary>
internal sealed record UsageReport(string CustomerId, string Month, MonthlyUsage? Totals, IReadOnlyList<UsageRecord> Records)
{
    /// <summary>Per-model sums of the records, by model id.</summary>
    public IReadOnlyList<ModelUsage> ByModel() => Records
        .GroupBy(r => r.ModelId, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => ModelUsage.Sum(g.Key, g.ToList()))
        .ToList();
}

/// <summary>A model's line of the report (and of the monthly export, per customer and key).</summary>
internal sealed record ModelUsage(
    string ModelId, long Requests, long InputTokens, long OutputTokens, long CacheReadInputTokens, long CacheWriteInputTokens,
    long CostMicroUsd, long PricedRequests, long UnpricedRequests, long EstimatedRequests, long Errors)
{
    /// <summary>
    /// The cost of the priced requests; null when every charged request was unpriced (shown as unpriced, never $0).
    /// </summary>
    public long? Cost => PricedRequests == 0 && UnpricedRequests > 0 ? null : CostMicroUsd;

    public static ModelUsage Sum(string modelId, IReadOnlyList<UsageRecord> records) => new(
        modelId,
        records.Count,
        records.Sum(r => r.Tokens?.InputTokens ?? 0),
        records.Sum(r => r.Tokens?.OutputTokens ?? 0),
        records.Sum(r => r.Tokens?.CacheReadInputTokens ?? 0),
        records.Sum(r => r.Tokens?.CacheWriteInputTokens ?? 0),
        records.Sum(r => r.CostMicroUsd ?? 0),
        records.Count(r => r.CostMicroUsd is not null),
        records.Count(IsUnpriced),
        records.Count(r => r.Estimated),
        records.Count(UsageItem.IsError));

    /// <summary>Tokens were charged but the model had no price when the request was recorded.</summary>
    public static bool IsUnpriced(UsageRecord record) => record.Tokens is not null && record.CostMicroUsd is null;
}
