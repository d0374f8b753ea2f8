namespace BedrockLambdaProxy.Usage;

/// <summary>Token counts exactly as Bedrock reported them; never estimated from text.</summary>
internal sealed record TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CacheReadInputTokens = 0,
    long CacheWriteInputTokens = 0)
{
    public static TokenUsage Zero { get; } = new(0, 0);

    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// The tokens customer limits count: input + cache writes + output, never cache reads. Bedrock counts its own
    /// token quotas the same way (cache reads do not count toward them), so a developer whose tool re-reads a
    /// long cached prompt is not throttled for it; cache reads are still recorded and reported for billing.
    /// </summary>
    public long LimitedTokens => InputTokens + CacheWriteInputTokens + OutputTokens;
}
