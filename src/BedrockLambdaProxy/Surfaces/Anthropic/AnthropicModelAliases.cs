namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// Anthropic's model names (what Claude Code and the Anthropic SDKs send) → Bedrock model ids. The defaults
/// name the cross-region inference profile of the function's geography (<c>us.</c>, <c>eu.</c>, <c>apac.</c>),
/// because the Claude 4 models are served on Bedrock only through inference profiles; ANTHROPIC_MODEL_ALIASES
/// adds or replaces entries (docs/ANTHROPIC.md). Bedrock ids and profiles themselves need no alias.
/// </summary>
internal sealed class AnthropicModelAliases
{
    public const string EnvironmentName = "ANTHROPIC_MODEL_ALIASES";

    /// <summary>ANTHROPIC_PROFILE_PREFIX: the geography of the default profiles (us, eu, apac, global), or none for base ids.</summary>
    public const string PrefixEnvironmentName = "ANTHROPIC_PROFILE_PREFIX";

    /// <summary>(Anthropic names, Bedrock base id, whether Bedrock serves it only through an inference profile).</summary>
    /// <remarks>
    /// Model ids from AWS's model catalogue and, for the models released since, the provider table Claude Code
    /// 2.1.328 ships (its Bedrock mode names the same profiles), so its gateway mode and its Bedrock mode reach one model.
    /// </remarks>
    private static readonly (string[] Names, string BedrockId, bool ProfileOnly)[] Defaults =
    [
        (["claude-opus-5-5"], "anthropic.claude-opus-5-5", true),
        (["claude-opus-5"], "anthropic.claude-opus-5", true),
        (["claude-sonnet-5-5"], "anthropic.claude-sonnet-5-5", true),
        (["claude-sonnet-5"], "anthropic.claude-sonnet-5", true),
        (["claude-haiku-5-5"], "anthropic.claude-haiku-5-5", true),
        (["claude-opus-4-8"], "anthropic.claude-opus-4-8", true),
        (["claude-opus-4-7"], "anthropic.claude-opus-4-7", true),
        (["claude-opus-4-6"], "anthropic.claude-opus-4-6-v1", true),
        (["claude-sonnet-4-6"], "anthropic.claude-sonnet-4-6", true),
        (["claude-opus-4-5-20251101", "claude-opus-4-5"], "anthropic.claude-opus-4-5-20251101-v1:0", true),
        (["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"], "anthropic.claude-sonnet-4-5-20250929-v1:0", true),
        (["claude-haiku-4-5-20251001", "claude-haiku-4-5"], "anthropic.claude-haiku-4-5-20251001-v1:0", true),
        (["claude-opus-4-1-20250805", "claude-opus-4-1"], "anthropic.claude-opus-4-1-20250805-v1:0", true),
        (["claude-opus-4-20250514", "claude-opus-4-0", "claude-opus-4"], "anthropic.claude-opus-4-20250514-v1:0", true),
        (["claude-sonnet-4-20250514", "claude-sonnet-4-0", "claude-sonnet-4"], "anthropic.claude-sonnet-4-20250514-v1:0", true),
        (["claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest"], "anthropic.claude-3-7-sonnet-20250219-v1:0", true),
        (["claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"], "anthropic.claude-3-5-haiku-20241022-v1:0", false),
        (["claude-3-5-sonnet-20241022", "claude-3-5-sonnet-latest"], "anthropic.claude-3-5-sonnet-20241022-v2:0", false),
        (["claude-3-5-sonnet-20240620"], "anthropic.claude-3-5-sonnet-20240620-v1:0", false),
        (["claude-3-haiku-20240307"], "anthropic.claude-3-haiku-20240307-v1:0", false),
    ];

    private readonly Dictionary<string, string> _byName;

    private AnthropicModelAliases(Dictionary<string, string> byName) => _byName = byName;

    /// <summary>Every alias and the Bedrock id it names, in no particular order.</summary>
    public IReadOnlyDictionary<string, string> Entries => _byName;

    /// <summary>The Bedrock id an Anthropic name stands for, or null when it is not in the table.</summary>
    public string? Resolve(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The names a caller can send for <paramref name="bedrockId"/> (shortest last), for model listings.</summary>
    public IEnumerable<string> NamesFor(string bedrockId) =>
        _byName.Where(entry => string.Equals(entry.Value, bedrockId, StringComparison.Ordinal)).Select(entry => entry.Key)
            .OrderByDescending(name => name.Length).ThenBy(name => name, StringComparer.Ordinal);

    /// <param name="region">The function's home region: picks the geography prefix of the default profiles.</param>
    /// <param name="prefix">ANTHROPIC_PROFILE_PREFIX, or null to derive it from <paramref name="region"/>.</param>
    /// <param name="overrides">ANTHROPIC_MODEL_ALIASES: <c>name=bedrock-id</c> pairs separated by commas.</param>
    public static AnthropicModelAliases Create(string region, string? prefix, string? overrides)
    {
        string geography = string.IsNullOrWhiteSpace(prefix) ? GeographyOf(region) : prefix.Trim().TrimEnd('.');
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string[] names, string bedrockId, bool profileOnly) in Defaults)
        {
            string id = profileOnly && geography != "none" ? geography + "." + bedrockId : bedrockId;
            foreach (string name in names)
            {
                byName[name] = id;
            }
        }
        foreach (string pair in (overrides ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? pair[..equals].Trim() : "";
            string id = equals > 0 ? pair[(equals + 1)..].Trim() : "";
            if (name.Length == 0 || !Bedrock.ModelId.TryValidate(id, out _))
            {
                throw new InvalidOperationException(
                    $"{EnvironmentName} must be comma-separated name=bedrock-model-id pairs; '{pair}' is not one.");
            }
            byName[name] = id;
        }
        return new AnthropicModelAliases(byName);
    }

    /// <summary>The cross-region inference profile prefix for a region (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html).</summary>
    internal static string GeographyOf(string region) =>
        region.StartsWith("us-gov-", StringComparison.Ordinal) ? "us-gov"
        : region.StartsWith("us-", StringComparison.Ordinal) || region.StartsWith("ca-", StringComparison.Ordinal) ? "us"
        : region.StartsWith("eu-", StringComparison.Ordinal) ? "eu"
        : region.StartsWith("ap-", StringComparison.Ordinal) ? "apac"
        : "global";
}
