namespace BedrockLambdaProxy.Usage;

/// <summary>
/// One proxied request as billed: written once per request after the response was delivered,
/// for streamed, failed and cancelled requests too (with the tokens seen so far).
/// </summary>
internal sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public required string CustomerId { get; init; }
    public required string KeyId { get; init; }
    public required string ModelId { get; init; }
    /// <summary>invoke, converse, native-invoke, native-converse, openai, …</summary>
    public required string Surface { get; init; }
    public required bool Streamed { get; init; }
    public required int HttpStatus { get; init; }
    /// <summary>Null on success; the AWS-style error type otherwise (ThrottlingException, ClientCancelled, …).</summary>
    public string? ErrorType { get; init; }
    /// <summary>
    /// Bedrock's own counts, or the proxy's estimate when <see cref="Estimated"/>; null when Bedrock
    /// never accepted the call (never reached, or refused it before answering), so cannot charge it.
    /// </summary>
    public TokenUsage? Tokens { get; init; }
    /// <summary>
    /// True when <see cref="Tokens"/> is the proxy's estimate (docs/BILLING.md): the stream ended
    /// before Bedrock's usage event, or a unary answer came without counts.
    /// </summary>
    public bool Estimated { get; init; }
    /// <summary>
    /// The cost of <see cref="Tokens"/> in millionths of a US dollar at the price in force (an estimate
    /// when <see cref="Estimated"/>); null when the model has no price (never 0 for an unpriced model)
    /// or nothing was charged.
    /// </summary>
    public long? CostMicroUsd { get; init; }
    /// <summary>The version of the price row <see cref="CostMicroUsd"/> was computed with; null when there is no cost.</summary>
    public string? PriceVersion { get; init; }
    /// <summary>Bedrock's x-amzn-RequestId for the call, when it answered: matches the record to Bedrock's own logs and bill.</summary>
    public string? BedrockRequestId { get; init; }
    /// <summary>
    /// For a request that makes several Bedrock calls (<c>/v1/embeddings</c>): the x-amzn-RequestId of every call Bedrock
    /// served, in the order it answered them (<see cref="BedrockRequestId"/> stays the first); null for every other surface.
    /// </summary>
    public IReadOnlyList<string>? BedrockRequestIds { get; init; }
    /// <summary>
    /// For a request that makes several Bedrock calls: how many Bedrock served, whose counts (or marked estimates)
    /// <see cref="Tokens"/> sums; null for every other surface, and when Bedrock served none.
    /// </summary>
    public int? BedrockCalls { get; init; }
    public required double LatencyMs { get; init; }
    /// <summary>Time to the first byte of model output; null for unary or when nothing arrived.</summary>
    public double? TimeToFirstTokenMs { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The Bedrock region that answered (or last failed); null when Bedrock was never called.</summary>
    public string? BedrockRegion { get; init; }
    /// <summary>Bedrock attempts before the first byte, retries and failovers included; null when Bedrock was never called.</summary>
    public int? BedrockAttempts { get; init; }
}
