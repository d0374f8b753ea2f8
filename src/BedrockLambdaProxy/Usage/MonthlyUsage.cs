namespace BedrockLambdaProxy.Usage;

/// <summary>A customer's billing totals for one month (UTC), as the admin report shows them.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Errors">Requests that ended with an error status or error type.</param>
/// <param name="EstimatedRequests">Requests billed the proxy's estimate because Bedrock's counts never arrived.</param>
/// <param name="CostMicroUsd">The priced records' cost, in millionths of a US dollar.</param>
/// <param name="UnpricedRequests">Requests with tokens but no price: their cost is unknown, not 0.</param>
internal sealed record MonthlyUsage(
    string CustomerId,
    string Month,
    long Requests,
    long InputTokens,
    long OutputTokens,
    long CacheReadInputTokens,
    long CacheWriteInputTokens,
    long Errors,
    long EstimatedRequests = 0,
    long CostMicroUsd = 0,
    long UnpricedRequests = 0);
