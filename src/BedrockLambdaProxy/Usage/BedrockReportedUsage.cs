namespace BedrockLambdaProxy.Usage;

/// <summary>Token counts and latencies as one Bedrock response reported them.</summary>
/// <param name="Tokens">Input, output and cache token counts.</param>
/// <param name="LatencyMs">Bedrock's own latency (metrics.latencyMs, invocationLatency, or the latency header).</param>
/// <param name="FirstByteLatencyMs">Bedrock's time to first byte (InvokeModelWithResponseStream only).</param>
internal sealed record BedrockReportedUsage(TokenUsage Tokens, long? LatencyMs = null, long? FirstByteLatencyMs = null);
