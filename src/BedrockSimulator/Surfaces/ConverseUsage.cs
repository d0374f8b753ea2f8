using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Surfaces;

/// <summary>Converse's <c>usage</c> object (TokenUsage), shared by Converse, ConverseStream metadata and Nova bodies.</summary>
internal static class ConverseUsage
{
    /// <summary>The cache fields are optional in Bedrock's TokenUsage: written only when the prompt cache was used.</summary>
    public static void Write(Utf8JsonWriter w, ScriptedReply reply)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("inputTokens", reply.InputTokens);
        w.WriteNumber("outputTokens", reply.OutputTokens);
        w.WriteNumber("totalTokens", reply.TotalTokens);
        if (reply.CacheReadInputTokens > 0 || reply.CacheWriteInputTokens > 0)
        {
            w.WriteNumber("cacheReadInputTokens", reply.CacheReadInputTokens);
            w.WriteNumber("cacheWriteInputTokens", reply.CacheWriteInputTokens);
        }

        w.WriteEndObject();
    }
}
