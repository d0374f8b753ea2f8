using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Surfaces;

/// <summary>Amazon Nova native bodies (<c>messages</c> with Converse-style content): Converse-shaped JSON and chunks.</summary>
internal sealed class NovaFormat : NativeFormat
{
    public static NovaFormat Instance { get; } = new();

    public override ScriptedReply? BuildReply(JsonElement root, PlaybackSettings settings, out string error)
    {
        error = string.Empty;
        if (RequestText.LastUserMessage(root) is not { } lastUser)
        {
            error = "A conversation must end with a user message.";
            return null;
        }

        return EchoScript.Reply(RequestText.MessageText(lastUser), RequestText.CountedTexts(root), settings);
    }

    public override void WriteUnary(Utf8JsonWriter w, ScriptedReply reply, string modelId, string messageId)
    {
        w.WriteStartObject("output");
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteString("text", reply.Text);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("stopReason", reply.StopReason);
        ConverseUsage.Write(w, reply);
    }

    public override IEnumerable<Action<Utf8JsonWriter>> Prologue(ScriptedReply reply, string modelId, string messageId) =>
    [
        w =>
        {
            w.WriteStartObject("messageStart");
            w.WriteString("role", "assistant");
            w.WriteEndObject();
        },
    ];

    public override void WriteDelta(Utf8JsonWriter w, ScriptedReply reply, string piece, bool first)
    {
        w.WriteStartObject("contentBlockDelta");
        w.WriteStartObject("delta");
        w.WriteString("text", piece);
        w.WriteEndObject();
        w.WriteNumber("contentBlockIndex", 0);
        w.WriteEndObject();
    }

    public override IEnumerable<Action<Utf8JsonWriter>> Epilogue(ScriptedReply reply) =>
    [
        w =>
        {
            w.WriteStartObject("contentBlockStop");
            w.WriteNumber("contentBlockIndex", 0);
            w.WriteEndObject();
        },
        w =>
        {
            w.WriteStartObject("messageStop");
            w.WriteString("stopReason", reply.StopReason);
            w.WriteEndObject();
        },
    ];

    public override void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics)
    {
        w.WriteStartObject("metadata");
        ConverseUsage.Write(w, reply);
        w.WriteEndObject();
        metrics.Write(w);
    }
}
