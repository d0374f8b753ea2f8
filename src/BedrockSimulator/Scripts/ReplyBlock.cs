namespace BedrockSimulator.Scripts;

/// <summary>One content block of a reply: text or a tool call, with the pieces it is streamed in.</summary>
internal sealed record ReplyBlock(string? Text, ToolCall? Tool, IReadOnlyList<string> Pieces);
