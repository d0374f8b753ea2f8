namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Running totals of usage records (one month, one model, one key or one day) as <c>GET /v1/usage</c>
/// shows them. Cost stays in integer micro-dollars until it is written, so sums are exact.
/// </summary>
internal sealed class UsageTally
{
    public long Requests { get; private set; }
    public long InputTokens { get; private set; }
    public long OutputTokens { get; private set; }
    public long CacheReadInputTokens { get; private set; }
    public long CacheWriteInputTokens { get; private set; }
    public long Errors { get; private set; }
    public long EstimatedRequests { get; private set; }
    /// <summary>Requests Bedrock charged tokens for that carry no cost: their cost is unknown, not 0.</summary>
    public long UnpricedRequests { get; private set; }
    /// <summary>The sum of the priced requests' cost.</summary>
    public long PricedCostMicroUsd { get; private set; }

    /// <summary>The whole cost, or null when any request in it is unpriced (a partial sum must not pass for the total).</summary>
    public long? CostMicroUsd => UnpricedRequests > 0 ? null : PricedCostMicroUsd;

    public void Add(UsageRecord record)
    {
        Requests++;
        if (UsageItem.IsError(record))
        {
            Errors++;
        }
        if (record.Tokens is not { } tokens)
        {
            // Bedrock never accepted the call: nothing was charged, so its cost is known to be 0.
            return;
        }
        InputTokens += tokens.InputTokens;
        OutputTokens += tokens.OutputTokens;
        CacheReadInputTokens += tokens.CacheReadInputTokens;
        CacheWriteInputTokens += tokens.CacheWriteInputTokens;
        if (record.Estimated)
        {
            EstimatedRequests++;
        }
        if (record.CostMicroUsd is long cost)
        {
            PricedCostMicroUsd += cost;
        }
        else
        {
            UnpricedRequests++;
        }
    }

    /// <summary>The month's totals from the aggregate on the counter item, for a month too large to read record by record.</summary>
    public static UsageTally FromMonth(MonthlyUsage month) => new()
    {
        Requests = month.Requests,
        InputTokens = month.InputTokens,
        OutputTokens = month.OutputTokens,
        CacheReadInputTokens = month.CacheReadInputTokens,
        CacheWriteInputTokens = month.CacheWriteInputTokens,
        Errors = month.Errors,
        EstimatedRequests = month.EstimatedRequests,
        UnpricedRequests = month.UnpricedRequests,
        PricedCostMicroUsd = month.CostMicroUsd,
    };

    /// <summary>Counts unpriced requests found in the records the aggregate may not know as unpriced (written before costs existed).</summary>
    public void AtLeastUnpriced(long unpriced) => UnpricedRequests = Math.Max(UnpricedRequests, unpriced);
}
