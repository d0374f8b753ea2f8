namespace BedrockLambdaProxy.Metrics;

/// <summary>Which limit turned a request away with 429.</summary>
internal enum ThrottleSource
{
    None,
    /// <summary>The customer's own limit (requests or tokens per minute, per day, per month), enforced by admission.</summary>
    Customer,
    /// <summary>Bedrock throttled in every region the proxy tried, within its attempts and deadline.</summary>
    Bedrock,
}
