using System.Text.Json;
using BedrockSimulator.Scripts;
using BedrockSimulator.Validation;

namespace BedrockSimulator.Surfaces;

/// <summary>
/// Anthropic Messages API bodies (<c>anthropic_version</c> + <c>messages</c>) and its streaming events: per block
/// <c>content_block_start</c>, deltas (<c>text_delta</c>, <c>input_json_delta</c>, <c>thinking_delta</c> then one
/// <c>signature_delta</c>) and <c>content_block_stop</c>, between <c>message_start</c> and <c>message_delta</c>.
/// </summary>
internal sealed class AnthropicFormat : NativeFormat
{
    public static AnthropicFormat Instance { get; } = new();

    public override ScriptedReply? BuildReply(JsonElement root, PlaybackSettings settings, out string error)
    {
        if (AnthropicBedrockRules.Check(root) is { } refused)
        {
            error = refused;
            return null;
        }

        return AnthropicScript.Build(root, settings, out error);
    }

    public override void WriteUnary(Utf8JsonWriter w, ScriptedReply reply, string modelId, string messageId)
    {
        WriteMessageHead(w, modelId, messageId);
        w.WriteStartArray("content");
        foreach (var block in reply.Blocks)
        {
            w.WriteStartObject();
            if (block.Signature is not null)
            {
                w.WriteString("type", "thinking");
                w.WriteString("thinking", block.ThinkingText);
                w.WriteString("signature", block.Signature);
            }
            else if (block.Tool is { } tool)
            {
                WriteToolHead(w, tool);
                w.WritePropertyName("input");
                w.WriteRawValue(tool.InputJson);
            }
            else
            {
                w.WriteString("type", "text");
                w.WriteString("text", block.Text);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", reply.StopReason);
        w.WriteNull("stop_sequence");
        WriteUsage(w, reply, reply.OutputTokens);
    }

    public override IEnumerable<(Action<Utf8JsonWriter> Write, bool IsDelta)> Chunks(ScriptedReply reply, string modelId, string messageId)
    {
        yield return (w =>
        {
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            WriteMessageHead(w, modelId, messageId);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            WriteUsage(w, reply, 1);
            w.WriteEndObject();
        }, false);

        for (var index = 0; index < reply.Blocks.Count; index++)
        {
            var block = reply.Blocks[index];
            var at = index;
            yield return (w =>
            {
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", at);
                w.WriteStartObject("content_block");
                if (block.Signature is not null)
                {
                    w.WriteString("type", "thinking");
                    w.WriteString("thinking", string.Empty);
                    w.WriteString("signature", string.Empty);
                }
                else if (block.Tool is { } tool)
                {
                    WriteToolHead(w, tool);
                    w.WriteStartObject("input");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("type", "text");
                    w.WriteString("text", string.Empty);
                }

                w.WriteEndObject();
            }, false);

            // Thinking leaves at once: chunk delays and fail-after faults count the answer's own deltas, so a
            // shaped or faulted stream behaves the same with thinking on or off.
            foreach (var piece in block.Pieces)
            {
                yield return (w => Delta(w, at, block.Signature is not null ? ("thinking_delta", "thinking") : block.Tool is not null ? ("input_json_delta", "partial_json") : ("text_delta", "text"), piece),
                    block.Signature is null);
            }

            if (block.Signature is { } signature)
            {
                yield return (w => Delta(w, at, ("signature_delta", "signature"), signature), false);
            }

            yield return (w =>
            {
                w.WriteString("type", "content_block_stop");
                w.WriteNumber("index", at);
            }, false);
        }

        yield return (w =>
        {
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", reply.StopReason);
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", reply.OutputTokens);
            w.WriteEndObject();
        }, false);
    }

    // Chunks() replaces the piecewise streaming; this serves only formats that use it.
    public override void WriteDelta(Utf8JsonWriter w, ScriptedReply reply, string piece, bool first) =>
        Delta(w, 0, ("text_delta", "text"), piece);

    public override void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics)
    {
        w.WriteString("type", "message_stop");
        metrics.Write(w);
    }

    private static void Delta(Utf8JsonWriter w, int index, (string Type, string Field) kind, string value)
    {
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", kind.Type);
        w.WriteString(kind.Field, value);
        w.WriteEndObject();
    }

    private static void WriteToolHead(Utf8JsonWriter w, ToolCall tool)
    {
        w.WriteString("type", "tool_use");
        w.WriteString("id", tool.ToolUseId);
        w.WriteString("name", tool.Name);
    }

    /// <summary>The Messages API usage object; like the Anthropic API it always carries the two cache counts.</summary>
    private static void WriteUsage(Utf8JsonWriter w, ScriptedReply reply, int outputTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", reply.InputTokens);
        w.WriteNumber("cache_creation_input_tokens", reply.CacheWriteInputTokens);
        w.WriteNumber("cache_read_input_tokens", reply.CacheReadInputTokens);
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteEndObject();
    }

    private static void WriteMessageHead(Utf8JsonWriter w, string modelId, string messageId)
    {
        w.WriteString("id", messageId);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", modelId);
    }
}
