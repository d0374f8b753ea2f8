using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Surfaces;

/// <summary>Amazon Titan Text bodies (<c>{"inputText": …}</c>): results[].outputText, streamed as outputText chunks.</summary>
internal sealed class TitanFormat : NativeFormat
{
    public static TitanFormat Instance { get; } = new();

    public override ScriptedReply? BuildReply(JsonElement root, PlaybackSettings settings, out string error)
    {
        error = string.Empty;
        var input = root.GetProperty("inputText").GetString()!;
        var reply = EchoScript.Reply(input, [input], settings);
        return reply with { StopReason = "FINISH" };
    }

    public override void WriteUnary(Utf8JsonWriter w, ScriptedReply reply, string modelId, string messageId)
    {
        w.WriteNumber("inputTextTokenCount", reply.InputTokens);
        w.WriteStartArray("results");
        w.WriteStartObject();
        w.WriteNumber("tokenCount", reply.OutputTokens);
        w.WriteString("outputText", reply.Text);
        w.WriteString("completionReason", reply.StopReason);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public override void WriteDelta(Utf8JsonWriter w, ScriptedReply reply, string piece, bool first)
    {
        w.WriteString("outputText", piece);
        w.WriteNumber("index", 0);
        w.WriteNull("totalOutputTextTokenCount");
        w.WriteNull("completionReason");
        if (first)
        {
            w.WriteNumber("inputTextTokenCount", reply.InputTokens);
        }
        else
        {
            w.WriteNull("inputTextTokenCount");
        }
    }

    public override void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics)
    {
        w.WriteString("outputText", string.Empty);
        w.WriteNumber("index", 0);
        w.WriteNumber("totalOutputTextTokenCount", reply.OutputTokens);
        w.WriteString("completionReason", reply.StopReason);
        w.WriteNull("inputTextTokenCount");
        metrics.Write(w);
    }
}
