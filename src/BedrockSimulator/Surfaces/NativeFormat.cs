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

    /// <summary>
    /// Every chunk before the final one, for a format whose blocks differ in kind (Anthropic: thinking, text, tool
    /// use, each with its own start, deltas and stop); <c>IsDelta</c> marks the content deltas faults count. Null
    /// (the default) streams <see cref="Prologue"/>, one <see cref="WriteDelta"/> per piece, then <see cref="Epilogue"/>.
    /// </summary>
    public virtual IEnumerable<(Action<Utf8JsonWriter> Write, bool IsDelta)>? Chunks(ScriptedReply reply, string modelId, string messageId) => null;

    /// <summary>The last chunk; it carries <c>amazon-bedrock-invocationMetrics</c>.</summary>
    public abstract void WriteFinal(Utf8JsonWriter w, ScriptedReply reply, InvocationMetrics metrics);

    /// <summary>
    /// Picks the format from the model id (a provider's id always gets its own format, so a body that does not fit
    /// is refused with that format's schema error, as Bedrock does), else from the body's shape (ARNs, profiles);
    /// null when nothing fits.
    /// </summary>
    public static NativeFormat? Select(string modelId, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (modelId.Contains("anthropic.", StringComparison.Ordinal) || root.TryGetProperty("anthropic_version", out _))
        {
            return AnthropicFormat.Instance;
        }

        if (modelId.Contains("titan-text", StringComparison.Ordinal) || root.TryGetProperty("inputText", out _))
        {
            return TitanFormat.Instance;
        }

        return modelId.Contains(".nova-", StringComparison.Ordinal) || root.TryGetProperty("messages", out _) ? NovaFormat.Instance : null;
    }
}
