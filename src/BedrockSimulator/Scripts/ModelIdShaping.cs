using System.Globalization;

namespace BedrockSimulator.Scripts;

/// <summary>
/// Answer shaping carried in the model id, for callers that cannot send <c>x-simulator-*</c> headers (a request
/// through the proxy, which forwards only Bedrock's own headers): <c>sim.bytes:N.chunks:N.delay:MS.&lt;model id&gt;</c>,
/// each part optional but at least one present. Only <c>.</c> and <c>:</c> are used, which the proxy's model id
/// validator allows.
/// </summary>
internal static class ModelIdShaping
{
    public const string Prefix = "sim.";

    /// <summary>The model id answered as when nothing follows the shaping parts (as <c>fault.&lt;spec&gt;</c> does).</summary>
    public const string DefaultModelId = "amazon.nova-lite-v1:0";

    private static readonly Dictionary<string, string> HeaderByName = new(StringComparer.Ordinal)
    {
        ["bytes"] = SimulatorHeaders.OutputBytes,
        ["chunks"] = SimulatorHeaders.Chunks,
        ["delay"] = SimulatorHeaders.ChunkDelayMs,
    };

    /// <summary>
    /// Splits <c>sim.&lt;name&gt;:&lt;n&gt;[.…].&lt;model id&gt;</c> into header-equivalent values (keyed by the
    /// <c>x-simulator-*</c> header name they stand for) and the model id; any other id comes back unchanged.
    /// </summary>
    public static bool TrySplit(string modelId, out IReadOnlyDictionary<string, string> values, out string realModelId, out string error)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        values = found;
        realModelId = modelId;
        error = string.Empty;
        if (!modelId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return true;
        }

        var rest = modelId[Prefix.Length..];
        while (rest.Length > 0)
        {
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var part = dot < 0 ? rest : rest[..dot];
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            // A shaping part is "<letters>:<digits>"; the first part of any other shape starts the real model id.
            if (colon <= 0 || !part[..colon].All(char.IsAsciiLetterLower)
                || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                break;
            }

            if (!HeaderByName.TryGetValue(part[..colon], out var header))
            {
                error = $"Unknown simulator shaping '{part}' in model id '{modelId}': use bytes:N, chunks:N or delay:MS.";
                return false;
            }

            found[header] = part[(colon + 1)..];
            rest = dot < 0 ? string.Empty : rest[(dot + 1)..];
        }

        if (found.Count == 0)
        {
            error = $"Model id '{modelId}' starts with '{Prefix}' but has no bytes:N, chunks:N or delay:MS part.";
            return false;
        }

        realModelId = rest.Length == 0 ? DefaultModelId : rest;
        return true;
    }
}
