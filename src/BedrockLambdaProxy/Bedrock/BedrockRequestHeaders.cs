namespace BedrockLambdaProxy.Bedrock;

/// <summary>The request headers Bedrock Runtime reads, passed through from the caller when present.</summary>
internal sealed record BedrockRequestHeaders
{
    public const string ContentTypeName = "Content-Type";
    public const string AcceptName = "Accept";
    public const string BedrockAcceptName = "X-Amzn-Bedrock-Accept";
    public const string TraceName = "X-Amzn-Bedrock-Trace";
    public const string GuardrailIdentifierName = "X-Amzn-Bedrock-GuardrailIdentifier";
    public const string GuardrailVersionName = "X-Amzn-Bedrock-GuardrailVersion";
    public const string PerformanceConfigLatencyName = "X-Amzn-Bedrock-PerformanceConfig-Latency";

    public static BedrockRequestHeaders Empty { get; } = new();

    public string? ContentType { get; init; }
    public string? Accept { get; init; }
    public string? BedrockAccept { get; init; }
    public string? Trace { get; init; }
    public string? GuardrailIdentifier { get; init; }
    public string? GuardrailVersion { get; init; }
    public string? PerformanceConfigLatency { get; init; }

    /// <summary>Picks the pass-through headers out of a case-insensitive lookup of the caller's headers.</summary>
    public static BedrockRequestHeaders From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new BedrockRequestHeaders
        {
            ContentType = NullIfEmpty(lookup(ContentTypeName)),
            Accept = NullIfEmpty(lookup(AcceptName)),
            BedrockAccept = NullIfEmpty(lookup(BedrockAcceptName)),
            Trace = NullIfEmpty(lookup(TraceName)),
            GuardrailIdentifier = NullIfEmpty(lookup(GuardrailIdentifierName)),
            GuardrailVersion = NullIfEmpty(lookup(GuardrailVersionName)),
            PerformanceConfigLatency = NullIfEmpty(lookup(PerformanceConfigLatencyName)),
        };
    }

    /// <summary>The headers to send besides Content-Type, in a fixed order (the signature covers them).</summary>
    public IEnumerable<KeyValuePair<string, string>> NonContentHeaders()
    {
        foreach ((string name, string? value) in new[]
        {
            (AcceptName, Accept), (BedrockAcceptName, BedrockAccept), (TraceName, Trace),
            (GuardrailIdentifierName, GuardrailIdentifier), (GuardrailVersionName, GuardrailVersion),
            (PerformanceConfigLatencyName, PerformanceConfigLatency),
        })
        {
            if (value is not null)
            {
                yield return new(name, value);
            }
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
