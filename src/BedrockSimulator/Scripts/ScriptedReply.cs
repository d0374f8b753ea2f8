namespace BedrockSimulator.Scripts;

/// <summary>A tool call the scripted model makes; <see cref="InputJson"/> is the complete input object.</summary>
internal sealed record ToolCall(string ToolUseId, string Name, string InputJson);

/// <summary>One content block of a reply: text or a tool call, with the pieces it is streamed in.</summary>
internal sealed record ReplyBlock(string? Text, ToolCall? Tool, IReadOnlyList<string> Pieces);

/// <summary>Everything a scripted model answers, independent of the wire format that carries it.</summary>
internal sealed record ScriptedReply(IReadOnlyList<ReplyBlock> Blocks, string StopReason, int InputTokens, int OutputTokens)
{
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>All text blocks joined, for native formats that carry a single text.</summary>
    public string Text => string.Concat(Blocks.Where(b => b.Text is not null).Select(b => b.Text));

    public int DeltaCount => Blocks.Sum(b => b.Pieces.Count);
}
