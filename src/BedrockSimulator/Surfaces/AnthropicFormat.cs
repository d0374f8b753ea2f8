using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Surfaces;

/// <summary>Anthropic Messages API bodies (<c>anthropic_version</c> + <c>messages</c>) and its streaming event types.</summary>
internal sealed class AnthropicFormat : NativeFormat
{
    public static AnthropicFormat Instance { get; } = new();

    public override ScriptedReply? BuildReply(JsonElement root, PlaybackSettings settings, out string error)
    {
        error = string.Empty;
        if (RequestText.LastUserMessage(root) is not { } lastUser)
        {
            error = "messages: the last message must have role 'user'.";
            return null;
        }

        return EchoScript.Reply(RequestText.MessageText(lastUser), RequestText.CountedTexts(root), settings);
    }

    public override void WriteUnary(Utf8JsonWriter w, ScriptedReply reply, string modelId, string messageId)
    {
        WriteMessageHead(w, modelId, messageId);
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", reply.Text);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("stop_reason", reply.StopReason);
        w.WriteNull("stop_sequence");
        WriteUsage(w, reply, reply.OutputTokens);
    }

    public override IEnumerable<Action<Utf8JsonWriter>> Prologue(ScriptedReply reply, string modelId, string messageId) =>
    [
        w =>
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
        },
        w =>
        {
            w.WriteString("type", "content_block_start");
            w.WriteNumber("index", 0);
            w.WriteStartObject("content_block");
            w.WriteString("type", "text");
            w.WriteString("text", string.Empty);
            w.WriteEndObject();
        },
    ];

    public override void WriteDelta(Utf8JsonWriter w, ScriptedReply reply, string piece, bool first)
    {
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        w.WriteString("type", "text_delta");
        w.WriteString("text", piece);
        w.WriteEndObject();
    }

    public override IEnumerable<Action<Utf8JsonWriter>> Epilogue(ScriptedReply reply) =>
    [
        w =>
        {
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", 0);
        },
        w =>
        {
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", reply.StopReason);
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", reply.OutputTokens);
            w.WriteEndObject();
        },
    ];

    public override void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics)
    {
        w.WriteString("type", "message_stop");
        metrics.Write(w);
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
