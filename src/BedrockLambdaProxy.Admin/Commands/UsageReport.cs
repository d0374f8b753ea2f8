using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>One customer's month: the aggregate (null when nothing was recorded) and the records.</summary>
internal sealed record UsageReport(string CustomerId, string Month, MonthlyUsage? Totals, IReadOnlyList<UsageRecord> Records)
{
    /// <summary>Per-model sums of the records, by model id.</summary>
    public IReadOnlyList<ModelUsage> ByModel() => Records
        .GroupBy(r => r.ModelId, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new ModelUsage(
            g.Key,
            g.Count(),
            g.Sum(r => r.Tokens?.InputTokens ?? 0),
            g.Sum(r => r.Tokens?.OutputTokens ?? 0),
            g.Sum(r => r.Tokens?.CacheReadInputTokens ?? 0),
            g.Sum(r => r.Tokens?.CacheWriteInputTokens ?? 0)))
        .ToList();
}

/// <summary>A model's line of the report.</summary>
internal sealed record ModelUsage(string ModelId, long Requests, long InputTokens, long OutputTokens, long CacheReadInputTokens, long CacheWriteInputTokens);
