using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// Watches a stream's events for Bedrock's own token counts (ConverseStream's <c>metadata</c>,
/// the invocation metrics on InvokeModel's last chunk) and the time to the first token.
/// </summary>
internal sealed class StreamUsageTracker(TimeProvider time, long startTimestamp)
{
    public TokenUsage? Tokens { get; private set; }

    public double? TimeToFirstTokenMs { get; private set; }

    /// <summary>A ConverseStream event by name and payload.</summary>
    public void ObserveConverse(string? eventType, ReadOnlySpan<byte> payload)
    {
        if (eventType == "metadata")
        {
            Tokens = BedrockUsageReader.FromConverseStreamMetadata(payload)?.Tokens ?? Tokens;
        }
        else if (eventType == "contentBlockDelta")
        {
            TimeToFirstTokenMs ??= time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        }
    }

    /// <summary>An InvokeModelWithResponseStream chunk, already decoded to the model's JSON.</summary>
    public void ObserveInvokeChunk(ReadOnlySpan<byte> modelJson)
    {
        TimeToFirstTokenMs ??= time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        Tokens = BedrockUsageReader.FromInvocationMetrics(modelJson)?.Tokens ?? Tokens;
    }
}
