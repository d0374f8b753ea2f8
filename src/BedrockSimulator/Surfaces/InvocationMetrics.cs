using System.Text.Json;

namespace BedrockSimulator.Surfaces;

/// <summary>Bedrock's per-invocation metrics, carried by the last chunk of an InvokeModelWithResponseStream answer.</summary>
internal readonly record struct InvocationMetrics(int InputTokens, int OutputTokens, long InvocationLatencyMs, long FirstByteLatencyMs)
{
    public int CacheReadInputTokens { get; init; }

    public int CacheWriteInputTokens { get; init; }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("amazon-bedrock-invocationMetrics");
        w.WriteNumber("inputTokenCount", InputTokens);
        w.WriteNumber("outputTokenCount", OutputTokens);
        w.WriteNumber("invocationLatency", InvocationLatencyMs);
        w.WriteNumber("firstByteLatency", FirstByteLatencyMs);
        if (CacheReadInputTokens > 0 || CacheWriteInputTokens > 0)
        {
            w.WriteNumber("cacheReadInputTokenCount", CacheReadInputTokens);
            w.WriteNumber("cacheWriteInputTokenCount", CacheWriteInputTokens);
        }

        w.WriteEndObject();
    }
}
