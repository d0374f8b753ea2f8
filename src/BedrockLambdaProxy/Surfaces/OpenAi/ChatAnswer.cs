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

    /// <summary>Converse's stopReason (end_turn, tool_use, max_tokens, …); null if Bedrock never said.</summary>
    public string? StopReason { get; set; }

    /// <summary>Bedrock's own counts; null if it never reported them.</summary>
    public TokenUsage? Usage { get; set; }
}
