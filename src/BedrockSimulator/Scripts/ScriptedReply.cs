namespace BedrockSimulator.Scripts;

/// <summary>Everything a scripted model answers, independent of the wire format that carries it.</summary>
/// <param name="InputTokens">Input tokens not read from or written to the prompt cache (Bedrock's meaning of inputTokens).</param>
internal sealed record ScriptedReply(IReadOnlyList<ReplyBlock> Blocks, string StopReason, int InputTokens, int OutputTokens)
{
    /// <summary>Input tokens served from the prompt cache (see <see cref="PromptCache"/>).</summary>
    public int CacheReadInputTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache by this request.</summary>
    public int CacheWriteInputTokens { get; init; }

    /// <summary>Every token of the request and the answer, cached ones included, as Converse's totalTokens counts them.</summary>
    public int TotalTokens => InputTokens + OutputTokens + CacheReadInputTokens + CacheWriteInputTokens;

    /// <summary>All text blocks joined, for native formats that carry a single text.</summary>
    public string Text => string.Concat(Blocks.Where(b => b.Text is not null).Select(b => b.Text));
}
