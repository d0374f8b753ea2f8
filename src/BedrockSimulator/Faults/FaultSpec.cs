using System.Globalization;

namespace BedrockSimulator.Faults;

/// <summary>
/// A parsed <c>x-simulator-fault</c> value (or the <c>fault.&lt;spec&gt;.</c> model id prefix):
/// <c>throttle:N</c>, <c>fail-after:K[:exceptionType]</c>, <c>hang-after:K</c>, <c>hang</c>, <c>validation</c>,
/// <c>access-denied</c>, <c>not-found</c>, <c>model-timeout</c>, <c>unavailable</c>, <c>not-ready</c>, <c>internal</c>.
/// </summary>
internal sealed record FaultSpec(FaultKind Kind, int Count = 0, string StreamExceptionType = "modelStreamErrorException")
{
    public static FaultSpec None { get; } = new(FaultKind.None);

    public static bool TryParse(string? text, out FaultSpec spec, out string error)
    {
        spec = None;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Trim().Split(':');
        var name = parts[0].ToLowerInvariant();
        switch (name)
        {
            case "throttle":
            case "fail-after":
            case "hang-after":
                if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    || (name == "fail-after" ? parts.Length > 3 : parts.Length > 2))
                {
                    error = $"Fault '{text}' needs a non-negative count, e.g. '{name}:2'.";
                    return false;
                }

                var kind = name switch { "throttle" => FaultKind.Throttle, "fail-after" => FaultKind.FailAfter, _ => FaultKind.HangAfter };
                spec = parts.Length == 3 ? new FaultSpec(kind, count, parts[2]) : new FaultSpec(kind, count);
                return true;
            default:
                var simple = SimpleKind(name);
                if (simple == FaultKind.None || parts.Length != 1)
                {
                    error = $"Unknown fault '{text}'.";
                    return false;
                }

                spec = new FaultSpec(simple);
                return true;
        }
    }

    /// <summary>
    /// Splits <c>fault.&lt;spec&gt;.&lt;model id&gt;</c> (or just <c>fault.&lt;spec&gt;</c>) into the fault text and the model
    /// id that decides the answer's format; any other id is returned unchanged with no fault text.
    /// </summary>
    public static (string? FaultText, string ModelId) SplitModelId(string modelId)
    {
        const string Prefix = "fault.";
        if (!modelId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (null, modelId);
        }

        var rest = modelId[Prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (rest, "amazon.nova-lite-v1:0") : (rest[..dot], rest[(dot + 1)..]);
    }

    private static FaultKind SimpleKind(string name) => name switch
    {
        "hang" => FaultKind.Hang,
        "validation" => FaultKind.Validation,
        "access-denied" => FaultKind.AccessDenied,
        "access-denied-role" => FaultKind.AccessDeniedRole,
        "not-found" => FaultKind.NotFound,
        "model-timeout" => FaultKind.ModelTimeout,
        "unavailable" => FaultKind.Unavailable,
        "not-ready" => FaultKind.NotReady,
        "internal" => FaultKind.InternalError,
        _ => FaultKind.None,
    };
}
