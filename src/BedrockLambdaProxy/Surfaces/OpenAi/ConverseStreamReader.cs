using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Reads one answer's ConverseStream events in order. Converse numbers content blocks (text and
/// toolUse alike); OpenAI numbers tool calls only, so the reader keeps the mapping. Reasoning text is also
/// gathered until its signature arrives, so the signed block can be handed over whole (docs/OPENAI.md).
/// </summary>
internal sealed class ConverseStreamReader
{
    private readonly Dictionary<int, int> _toolIndexByBlock = [];

    // Only an answer with reasoning pays for this.
    private StringBuilder? _thinking;

    public ChatDelta Read(string? eventName, ReadOnlyMemory<byte> payload)
    {
        switch (eventName)
        {
            case "messageStart":
                return new ChatDelta(ChatDeltaKind.Role);
            case "metadata":
                return new ChatDelta(ChatDeltaKind.Usage, Usage: BedrockUsageReader.FromConverseStreamMetadata(payload.Span)?.Tokens);
            case "contentBlockStart" or "contentBlockDelta" or "messageStop":
                break;
            default:
                return ChatDelta.Nothing;
        }

        using JsonDocument document = JsonDocument.Parse(payload);
        JsonElement root = document.RootElement;
        if (eventName == "messageStop")
        {
            return new ChatDelta(ChatDeltaKind.Finish, Value: root.TryGetProperty("stopReason", out JsonElement reason) ? reason.GetString() : null);
        }
        int block = root.TryGetProperty("contentBlockIndex", out JsonElement index) ? index.GetInt32() : 0;
        if (eventName == "contentBlockStart")
        {
            if (root.TryGetProperty("start", out JsonElement start) && start.TryGetProperty("toolUse", out JsonElement toolUse))
            {
                int toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[block] = toolIndex;
                return new ChatDelta(
                    ChatDeltaKind.ToolStart, ToolIndex: toolIndex,
                    ToolId: toolUse.GetProperty("toolUseId").GetString(), ToolName: toolUse.GetProperty("name").GetString());
            }
            return ChatDelta.Nothing;
        }
        if (!root.TryGetProperty("delta", out JsonElement delta))
        {
            return ChatDelta.Nothing;
        }
        if (delta.TryGetProperty("text", out JsonElement text))
        {
            return new ChatDelta(ChatDeltaKind.Text, Value: text.GetString());
        }
        if (delta.TryGetProperty("toolUse", out JsonElement input) && _toolIndexByBlock.TryGetValue(block, out int tool))
        {
            return new ChatDelta(ChatDeltaKind.ToolArguments, Value: input.GetProperty("input").GetString(), ToolIndex: tool);
        }
        if (delta.TryGetProperty("reasoningContent", out JsonElement reasoning))
        {
            return Reasoning(reasoning);
        }
        // citations, …: OpenAI's chat format has no place for them.
        return ChatDelta.Nothing;
    }

    /// <summary>A reasoningContent delta: a piece of text, the block's signature, or a redacted block.</summary>
    private ChatDelta Reasoning(JsonElement reasoning)
    {
        if (reasoning.TryGetProperty("text", out JsonElement text))
        {
            string? piece = text.GetString();
            (_thinking ??= new StringBuilder()).Append(piece);
            return new ChatDelta(ChatDeltaKind.Reasoning, Value: piece);
        }
        if (reasoning.TryGetProperty("signature", out JsonElement signature))
        {
            string thinking = _thinking?.ToString() ?? "";
            _thinking?.Clear();
            return new ChatDelta(ChatDeltaKind.ThinkingSigned, Value: thinking, Signature: signature.GetString() ?? "");
        }
        if (reasoning.TryGetProperty("redactedContent", out JsonElement redacted))
        {
            return new ChatDelta(ChatDeltaKind.ThinkingRedacted, Value: redacted.GetString());
        }
        return ChatDelta.Nothing;
    }

    /// <summary>Adds one delta to an answer being collected (a stream answered to a buffered front).</summary>
    public static void Apply(ChatAnswer answer, ChatDelta delta)
    {
        switch (delta.Kind)
        {
            case ChatDeltaKind.Text:
                answer.Text.Append(delta.Value);
                break;
            case ChatDeltaKind.ToolStart:
                answer.ToolCalls.Add(new ChatToolCall(delta.ToolId ?? "", delta.ToolName ?? ""));
                break;
            case ChatDeltaKind.ToolArguments:
                answer.ToolCalls[delta.ToolIndex].Arguments.Append(delta.Value);
                break;
            case ChatDeltaKind.Reasoning:
                answer.Reasoning.Append(delta.Value);
                break;
            case ChatDeltaKind.ThinkingSigned:
                answer.ThinkingBlocks.Add(new ChatThinkingBlock(delta.Value ?? "", delta.Signature));
                break;
            case ChatDeltaKind.ThinkingRedacted:
                answer.ThinkingBlocks.Add(ChatThinkingBlock.Redacted(delta.Value ?? ""));
                break;
            case ChatDeltaKind.Finish:
                answer.StopReason = delta.Value;
                break;
            case ChatDeltaKind.Usage:
                answer.Usage = delta.Usage ?? answer.Usage;
                break;
        }
    }

    /// <summary>A unary Converse response as an answer.</summary>
    public static ChatAnswer FromResponse(ReadOnlySpan<byte> body)
    {
        var answer = new ChatAnswer { Usage = BedrockUsageReader.FromConverseResponse(body)?.Tokens };
        var reader = new Utf8JsonReader(body);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        if (root.TryGetProperty("stopReason", out JsonElement stop))
        {
            answer.StopReason = stop.GetString();
        }
        if (root.TryGetProperty("output", out JsonElement output) && output.TryGetProperty("message", out JsonElement message)
            && message.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement block in content.EnumerateArray())
            {
                if (block.TryGetProperty("text", out JsonElement text))
                {
                    answer.Text.Append(text.GetString());
                }
                else if (block.TryGetProperty("toolUse", out JsonElement toolUse))
                {
                    var call = new ChatToolCall(toolUse.GetProperty("toolUseId").GetString() ?? "", toolUse.GetProperty("name").GetString() ?? "");
                    call.Arguments.Append(toolUse.TryGetProperty("input", out JsonElement input) ? input.GetRawText() : "{}");
                    answer.ToolCalls.Add(call);
                }
                else if (block.TryGetProperty("reasoningContent", out JsonElement reasoning))
                {
                    AddReasoning(answer, reasoning);
                }
            }
        }
        return answer;
    }

    /// <summary>A unary reasoningContent block: <c>reasoningText</c> (text and, from Claude, a signature) or <c>redactedContent</c>.</summary>
    private static void AddReasoning(ChatAnswer answer, JsonElement reasoning)
    {
        if (reasoning.TryGetProperty("reasoningText", out JsonElement reasoningText))
        {
            string text = reasoningText.TryGetProperty("text", out JsonElement t) ? t.GetString() ?? "" : "";
            answer.Reasoning.Append(text);
            if (reasoningText.TryGetProperty("signature", out JsonElement signature) && signature.GetString() is { } signed)
            {
                answer.ThinkingBlocks.Add(new ChatThinkingBlock(text, signed));
            }
        }
        else if (reasoning.TryGetProperty("redactedContent", out JsonElement redacted))
        {
            answer.ThinkingBlocks.Add(ChatThinkingBlock.Redacted(redacted.GetString() ?? ""));
        }
    }
}
