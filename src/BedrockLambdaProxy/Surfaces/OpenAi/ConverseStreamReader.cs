using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Reads one answer's ConverseStream events in order. Converse numbers content blocks (text and
/// toolUse alike); OpenAI numbers tool calls only, so the reader keeps the mapping. Reasoning text is also
/// gathered until its signature arrives, so the signed block can be handed over whole (docs/OPENAI.md).
/// </summary>
/// <remarks>
/// A text delta, nearly every event of an answer, is read without a document or a string: its text
/// comes back as UTF-8 (<see cref="ChatDelta.Utf8Value"/>), a slice of the payload or, when the JSON
/// escaped something, of a buffer the reader reuses; either is valid until the next <see cref="Read"/>.
/// </remarks>
internal sealed class ConverseStreamReader
{
    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private byte[] _unescaped = [];

    // Only an answer with reasoning pays for this.
    private StringBuilder? _thinking;

    public ChatDelta Read(string? eventName, ReadOnlyMemory<byte> payload)
    {
        switch (eventName)
        {
            case "contentBlockDelta" when TryReadText(payload, out ReadOnlyMemory<byte> utf8Text, out bool verbatim):
                return new ChatDelta(ChatDeltaKind.Text, Utf8Value: utf8Text, Utf8IsJsonString: verbatim);
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
            // Reached only when the fast path could not read it (a text that is not a string throws here).
            return new ChatDelta(ChatDeltaKind.Text, Utf8Value: System.Text.Encoding.UTF8.GetBytes(text.GetString() ?? ""));
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

    /// <summary>
    /// The text of a delta event <c>{"contentBlockIndex":n,"delta":{"text":"…"}}</c>, unescaped; false for
    /// any other delta (tool input, reasoning), which the document path reads. <paramref name="verbatim"/>: the
    /// text is a slice of the payload that needed no unescaping, so it is also a JSON string's content as it is.
    /// </summary>
    private bool TryReadText(ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> text, out bool verbatim)
    {
        verbatim = true;
        if (DeltaText.TryFind(payload.Span, out Range found))
        {
            text = payload[found];
            return true;
        }
        text = default;
        verbatim = false;
        var reader = new Utf8JsonReader(payload.Span);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isDelta = reader.ValueTextEquals("delta"u8);
                reader.Read();
                if (isDelta && reader.TokenType == JsonTokenType.StartObject)
                {
                    return TryReadTextMember(ref reader, payload, out text, out verbatim);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Let the document path fail (or not) exactly as it always did.
        }
        return false;
    }

    /// <summary>Reads the delta object's members (the reader on its start): true when one is a string <c>text</c>.</summary>
    private bool TryReadTextMember(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> text, out bool verbatim)
    {
        text = default;
        verbatim = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (!isText)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }
            if (!reader.ValueIsEscaped)
            {
                // The value's bytes follow the opening quote at TokenStartIndex; the reader refused any
                // control character in them, so they are a JSON string's content as they are.
                text = payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                verbatim = true;
                return true;
            }
            if (_unescaped.Length < reader.ValueSpan.Length)
            {
                _unescaped = new byte[Math.Max(reader.ValueSpan.Length, 2048)];
            }
            text = _unescaped.AsMemory(0, reader.CopyString(_unescaped));
            return true;
        }
        return false;
    }

    /// <summary>Adds one delta to an answer being collected (a stream answered to a buffered front).</summary>
    public static void Apply(ChatAnswer answer, ChatDelta delta)
    {
        switch (delta.Kind)
        {
            case ChatDeltaKind.Text:
                answer.Text.Append(System.Text.Encoding.UTF8.GetString(delta.Utf8Value.Span));
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
