namespace BedrockSimulator.Scripts;

/// <summary>One content block of a reply: text or a tool call, with the pieces it is streamed in.</summary>
internal sealed record ReplyBlock(string? Text, ToolCall? Tool, IReadOnlyList<string> Pieces)
{
    /// <summary>
    /// Set on an Anthropic thinking block: its signature (<see cref="ThinkingSignature"/>), and the thinking is in
    /// <see cref="ThinkingText"/> (not <see cref="Text"/>, which is the answer's visible text).
    /// </summary>
    public string? Signature { get; init; }

    public string? ThinkingText { get; init; }

    /// <summary>Set on a redacted thinking block (Converse <c>redactedContent</c>): its opaque base64 data.</summary>
    public string? RedactedData { get; init; }

    /// <summary>A reasoning block of any kind: thinking text (signed or not) or redacted.</summary>
    public bool IsReasoning => ThinkingText is not null || RedactedData is not null;
}
