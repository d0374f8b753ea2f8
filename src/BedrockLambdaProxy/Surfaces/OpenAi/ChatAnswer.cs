using System.Text;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// One assistant answer gathered from Converse (a unary response, or a stream collected for a
/// buffered front), ready to be written as a <c>chat.completion</c>.
/// </summary>
internal sealed class ChatAnswer
{
    public StringBuilder Text { get; } = new();

    public List<ChatToolCall> ToolCalls { get; } = [];

    /// <summary>The model's reasoning text, all blocks joined: OpenAI's <c>reasoning_content</c>.</summary>
    public StringBuilder Reasoning { get; } = new();

    /// <summary>Signed and redacted thinking blocks, to be sent back in the next request (<c>thinking_blocks</c>).</summary>
    public List<ChatThinkingBlock> ThinkingBlocks { get; } = [];

    /// <summary>Converse's stopReason (end_turn, tool_use, max_tokens, …); null if Bedrock never said.</summary>
    public string? StopReason { get; set; }

    /// <summary>Bedrock's own counts; null if it never reported them.</summary>
    public TokenUsage? Usage { get; set; }
}
