namespace BedrockSimulator;

/// <summary>The request headers that steer the simulator (none of them exist on real Bedrock).</summary>
internal static class SimulatorHeaders
{
    /// <summary>Fault spec, e.g. <c>throttle:2</c>, <c>fail-after:3</c>; see README.md.</summary>
    public const string Fault = "x-simulator-fault";

    /// <summary>Key that groups retries of one logical request for <c>throttle:N</c> and the request counter.</summary>
    public const string RequestKey = "x-simulator-request-key";

    /// <summary>Number of content deltas an answer is split into.</summary>
    public const string Chunks = "x-simulator-chunks";

    /// <summary>Milliseconds to wait before each streamed content delta.</summary>
    public const string ChunkDelayMs = "x-simulator-chunk-delay-ms";

    /// <summary>Answer with exactly this many bytes of filler text (throughput tests).</summary>
    public const string OutputBytes = "x-simulator-output-bytes";
}
