using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Surfaces;

/// <summary>A model family's native InvokeModel body: how a reply looks whole, and as a series of stream chunks.</summary>
internal abstract class NativeFormat
{
    /// <summary>Builds the scripted reply from the parsed request body, or returns null with a validation message.</summary>
    public abstract ScriptedReply? BuildReply(JsonElement root, PlaybackSettings settings, out string error);

    public abstract void WriteUnary(Utf8JsonWriter w, ScriptedReply reply, string modelId, string messageId);

    /// <summary>Chunks sent before the first content delta.</summary>
    public virtual IEnumerable<Action<Utf8JsonWriter>> Prologue(ScriptedReply reply, string modelId, string messageId) => [];

    public abstract void WriteDelta(Utf8JsonWriter w, ScriptedReply reply, string piece, bool first);

    /// <summary>Chunks sent after the last content delta, before the final one.</summary>
    public virtual IEnumerable<Action<Utf8JsonWriter>> Epilogue(ScriptedReply reply) => [];

    /// <summary>The last chunk; it carries <c>amazon-bedrock-invocationMetrics</c>.</summary>
    public abstract void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics);

    /// <summary>Picks the format from the model id and the body's shape; null when no format accepts the body.</summary>
    public static NativeFormat? Select(string modelId, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (modelId.Contains("anthropic.", StringComparison.Ordinal) && root.TryGetProperty("anthropic_version", out _)
            && root.TryGetProperty("messages", out _))
        {
            return AnthropicFormat.Instance;
        }

        if (root.TryGetProperty("inputText", out var inputText) && inputText.ValueKind == JsonValueKind.String)
        {
            return TitanFormat.Instance;
        }

        return root.TryGetProperty("messages", out _) ? NovaFormat.Instance : null;
    }
}
