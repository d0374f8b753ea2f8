namespace BedrockSimulator.Scripts;

/// <summary>Everything a scripted model answers, independent of the wire format that carries it.</summary>
internal sealed record ScriptedReply(IReadOnlyList<ReplyBlock> Blocks, string StopReason, int InputTokens, int OutputTokens)
{
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>All text blocks joined, for native formats that carry a single text.</summary>
    public string Text => string.Concat(Blocks.Where(b => b.Text is not null).Select(b => b.Text));
}
