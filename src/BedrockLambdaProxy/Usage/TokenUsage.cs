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
}
