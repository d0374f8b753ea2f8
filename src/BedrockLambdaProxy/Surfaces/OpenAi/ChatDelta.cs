using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One ConverseStream event read for an OpenAI client; only the fields its kind uses are set.</summary>
/// <param name="ToolIndex">The tool call's position among this answer's tool calls (OpenAI's <c>index</c>).</param>
/// <param name="Value">Argument fragment, reasoning text (a piece, or a signed block's whole text), redacted data, or stopReason.</param>
/// <param name="Signature">A signed thinking block's signature.</param>
/// <param name="Utf8Value">A text delta's text as UTF-8, valid until the reader reads the next event.</param>
/// <param name="Utf8IsJsonString">True when <paramref name="Utf8Value"/> holds nothing JSON must escape (it came unescaped out of Bedrock's JSON), so it may be written between quotes as it is.</param>
internal readonly record struct ChatDelta(
    ChatDeltaKind Kind, string? Value = null, int ToolIndex = 0, string? ToolId = null, string? ToolName = null, TokenUsage? Usage = null,
    string? Signature = null, ReadOnlyMemory<byte> Utf8Value = default, bool Utf8IsJsonString = false)
{
    public static ChatDelta Nothing => default;
}
