namespace BedrockSimulator;

/// <summary>Settings of one simulator instance; every default suits a test on loopback.</summary>
internal sealed class SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port (read it back from <see cref="SimulatorServer.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>If set, a second port (0 = free) serving cleartext HTTP/2 with prior knowledge, as the JS SDK's default handler speaks.</summary>
    public int? Http2Port { get; init; }

    /// <summary>The region a SigV4 credential scope must name.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The only access key the SigV4 verifier knows.</summary>
    public string AccessKeyId { get; init; } = "AKIDSIMULATOR";

    /// <summary>The secret that belongs to <see cref="AccessKeyId"/>.</summary>
    public string SecretAccessKey { get; init; } = "simulator-secret";

    /// <summary>Bedrock API keys (<c>Authorization: Bearer …</c>) accepted instead of SigV4; none by default.</summary>
    public IReadOnlyList<string> BearerTokens { get; init; } = [];

    /// <summary>Pause before each streamed content delta unless <c>x-simulator-chunk-delay-ms</c> overrides it.</summary>
    public TimeSpan ChunkDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Number of content deltas an answer is split into unless <c>x-simulator-chunks</c> overrides it.</summary>
    public int DefaultChunks { get; init; } = 5;

    /// <summary>How far X-Amz-Date may be from the clock, as AWS allows (15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Add Bedrock's <c>"p"</c> padding field to every event payload, as real Bedrock does.</summary>
    public bool PadEvents { get; init; } = true;

    /// <summary>The fault every request gets unless it names its own (a whole region failing); none by default.</summary>
    public Faults.InstanceFault InstanceFault { get; init; } = new();

    /// <summary>Clock for signature expiry and latency numbers.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
