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

    /// <summary>Every header the caller may pass through to Bedrock, in the order they are checked.</summary>
    public static IReadOnlyList<string> PassThroughNames { get; } =
    [
        ContentTypeName, AcceptName, BedrockAcceptName, TraceName, GuardrailIdentifierName, GuardrailVersionName,
        PerformanceConfigLatencyName,
    ];

    /// <summary>
    /// The first pass-through header whose value holds a character outside visible ASCII and space
    /// (CR, LF, tab, other controls, anything non-ASCII), or null when all are clean. Such a value
    /// would inject a header into the signed request (CR/LF) or make every send attempt throw
    /// (non-ASCII), so it is refused as the caller's error before anything is admitted or sent.
    /// </summary>
    public static string? FindInvalid(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        foreach (string name in PassThroughNames)
        {
            if (lookup(name) is { } value && !IsVisibleAscii(value))
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The first header this set would send whose value is not visible ASCII and space, or null.</summary>
    public string? FindInvalid()
    {
        if (ContentType is { } type && !IsVisibleAscii(type))
        {
            return ContentTypeName;
        }
        foreach (KeyValuePair<string, string> header in NonContentHeaders())
        {
            if (!IsVisibleAscii(header.Value))
            {
                return header.Key;
            }
        }
        return null;
    }

    /// <summary>The 400 message naming the header.</summary>
    public static string InvalidValueMessage(string name) =>
        $"The {name} header may contain only visible ASCII characters and spaces (no CR, LF, tab, other control or non-ASCII characters).";

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

    private static bool IsVisibleAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
