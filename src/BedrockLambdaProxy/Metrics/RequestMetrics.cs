using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Metrics;

/// <summary>What one request contributes to the CloudWatch metrics (one EMF line).</summary>
internal sealed record RequestMetrics
{
    public required string RequestId { get; init; }
    /// <summary>Null when the request never got as far as a known customer (bad or missing key).</summary>
    public string? CustomerId { get; init; }
    /// <summary>Null when the request was refused before its model id was read.</summary>
    public string? ModelId { get; init; }
    /// <summary>
    /// Whether Bedrock served <see cref="ModelId"/> for this request (it answered 2xx, or reported tokens).
    /// Only then does the id become a metric dimension value; otherwise it is counted as <see cref="MetricsLog.UnservedModel"/>.
    /// </summary>
    public bool ModelServed { get; init; }
    /// <summary>The Bedrock region that answered or failed last; null when Bedrock was not called.</summary>
    public string? BedrockRegion { get; init; }
    public required int HttpStatus { get; init; }
    public ErrorClass Error { get; init; }
    public ThrottleSource Throttle { get; init; }
    public required double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public TokenUsage? Tokens { get; init; }
    /// <summary>The request's cost in micro-dollars; null when unpriced (with <see cref="Tokens"/>) or nothing was charged.</summary>
    public long? CostMicroUsd { get; init; }
    /// <summary>Region changes before the first byte (0 when the first region answered).</summary>
    public int Failovers { get; init; }
}
