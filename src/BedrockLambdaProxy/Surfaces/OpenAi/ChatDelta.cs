using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One ConverseStream event read for an OpenAI client; only the fields its kind uses are set.</summary>
/// <param name="ToolIndex">The tool call's position among this answer's tool calls (OpenAI's <c>index</c>).</param>
/// <param name="Value">Text, argument fragment, reasoning text (a piece, or a signed block's whole text), redacted data, or stopReason.</param>
/// <param name="Signature">A signed thinking block's signature.</param>
internal readonly record struct ChatDelta(
    ChatDeltaKind Kind, string? Value = null, int ToolIndex = 0, string? ToolId = null, string? ToolName = null, TokenUsage? Usage = null,
    string? Signature = null)
{
    public static ChatDelta Nothing => default;
}
