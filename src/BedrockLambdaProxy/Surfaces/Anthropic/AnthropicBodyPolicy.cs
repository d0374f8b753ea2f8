namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// What the proxy forwards to Bedrock of a Messages request: the top-level fields and, per model family, the
/// beta flags (the <c>anthropic-beta</c> header). Bedrock refuses fields and betas it does not know ("Extra inputs
/// are not permitted", "invalid beta flag") while Claude Code and the SDKs send several, so everything not in the
/// table is dropped (and logged) instead of failing the request. The table is docs/ANTHROPIC.md's; operators
/// replace it with ANTHROPIC_FORWARDED_FIELDS and ANTHROPIC_FORWARDED_BETAS.
/// Source: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
/// and the extended-thinking / tool-use pages it links (read 2026-12-04).
/// </summary>
internal sealed class AnthropicBodyPolicy
{
    public const string FieldsEnvironmentName = "ANTHROPIC_FORWARDED_FIELDS";
    public const string BetasEnvironmentName = "ANTHROPIC_FORWARDED_BETAS";

    /// <summary>
    /// The top-level request fields Bedrock's Messages body documents (besides anthropic_version / anthropic_beta), and
    /// <c>metadata</c> and <c>output_config</c>, which Claude Code 2.1.328 sends in its Bedrock mode, so Bedrock takes them.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultFields =
    [
        "max_tokens", "messages", "system", "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice", "thinking",
        "metadata", "output_config",
    ];

    private const string Claude4Common = "interleaved-thinking-2025-05-14,computer-use-2025-01-24";

    /// <summary>
    /// Beta flags forwarded per family: the family is the longest key the model's name (after <c>anthropic.</c>)
    /// starts with; <c>claude</c> is the fallback for Claude models newer than this table.
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> DefaultBetas =
    [
        new("claude-3-5-sonnet", "computer-use-2024-10-22"),
        new("claude-3-7-sonnet", "computer-use-2025-01-24,token-efficient-tools-2025-02-19,output-128k-2025-02-19"),
        new("claude-sonnet-4", Claude4Common + ",context-1m-2025-08-07"),
        new("claude-opus-4", Claude4Common),
        new("claude-sonnet-4-5", Claude4Common + ",context-1m-2025-08-07,context-management-2025-06-27"),
        new("claude-haiku-4-5", Claude4Common + ",context-management-2025-06-27"),
        new("claude-opus-4-5", Claude4Common + ",context-management-2025-06-27,effort-2025-11-24,tool-search-tool-2025-10-19,tool-examples-2025-10-29"),
        // Newer models: what Claude Code 2.1.328 sends them in Bedrock mode, which Bedrock takes.
        new("claude", "interleaved-thinking-2025-05-14,thinking-token-count-2026-05-13,thinking-display-updates-2026-08-18"),
    ];

    private readonly HashSet<string> _fields;
    private readonly Dictionary<string, HashSet<string>> _betasByFamily;

    private AnthropicBodyPolicy(HashSet<string> fields, Dictionary<string, HashSet<string>> betasByFamily)
    {
        _fields = fields;
        _betasByFamily = betasByFamily;
    }

    public IReadOnlyCollection<string> Fields => _fields;

    public IReadOnlyDictionary<string, HashSet<string>> BetasByFamily => _betasByFamily;

    public bool ForwardsField(string name) => _fields.Contains(name);

    /// <summary>Whether the family of <paramref name="bedrockModelId"/> takes <paramref name="beta"/>.</summary>
    public bool ForwardsBeta(string bedrockModelId, string beta) =>
        FamilyOf(bedrockModelId) is string family && _betasByFamily.TryGetValue(family, out HashSet<string>? betas) && betas.Contains(beta);

    /// <summary>The longest family key the model's name starts with, or null (an application profile ARN names no model).</summary>
    internal string? FamilyOf(string bedrockModelId)
    {
        int at = bedrockModelId.IndexOf("anthropic.", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        string name = bedrockModelId[(at + "anthropic.".Length)..];
        string? best = null;
        foreach (string family in _betasByFamily.Keys)
        {
            if (name.StartsWith(family, StringComparison.Ordinal) && (best is null || family.Length > best.Length))
            {
                best = family;
            }
        }
        return best;
    }

    /// <param name="fields">ANTHROPIC_FORWARDED_FIELDS: comma-separated top-level fields, replacing the defaults.</param>
    /// <param name="betas">ANTHROPIC_FORWARDED_BETAS: <c>family=beta,beta;family=beta</c>, replacing the listed families' rows.</param>
    public static AnthropicBodyPolicy Create(string? fields, string? betas)
    {
        var fieldSet = new HashSet<string>(
            string.IsNullOrWhiteSpace(fields) ? DefaultFields : Split(fields, ','), StringComparer.Ordinal);
        var byFamily = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> row in DefaultBetas)
        {
            byFamily[row.Key] = new HashSet<string>(Split(row.Value, ','), StringComparer.Ordinal);
        }
        foreach (string row in Split(betas ?? "", ';'))
        {
            int equals = row.IndexOf('=', StringComparison.Ordinal);
            string family = equals > 0 ? row[..equals].Trim() : "";
            if (family.Length == 0 || !family.StartsWith("claude", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{BetasEnvironmentName} must be family=beta,beta rows separated by ';' (a family starts with 'claude'); '{row}' is not one.");
            }
            byFamily[family] = new HashSet<string>(Split(row[(equals + 1)..], ','), StringComparer.Ordinal);
        }
        return new AnthropicBodyPolicy(fieldSet, byFamily);
    }

    private static string[] Split(string value, char separator) =>
        value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
