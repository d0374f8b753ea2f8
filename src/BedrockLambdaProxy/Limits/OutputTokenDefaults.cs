using System.Globalization;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// How many output tokens admission reserves for a request that sets no max-tokens field, by model
/// family: the most Bedrock can generate for it then. Matched on the foundation model id
/// (<see cref="FoundationModelId"/>) by the longest prefix; <c>*</c> is the fallback.
/// </summary>
/// <remarks>
/// Why maxima, not the InvokeModel defaults: on Converse, a missing <c>maxTokens</c> means "the maximum
/// allowed value for the model" (InferenceConfiguration, Bedrock API reference, read 2026-12-04), so a
/// reservation below the family's maximum could let one request use more than admission counted.
/// Operators trade safety for headroom with LIMITS_DEFAULT_MAX_TOKENS (<see cref="Parse"/>), e.g.
/// <c>anthropic.=8192,*=2048</c>: entries replace or extend the built-in table. docs/LIMITS.md has the table.
/// </remarks>
internal sealed class OutputTokenDefaults
{
    public const string Fallback = "*";

    /// <summary>The built-in table; each figure with where it comes from.</summary>
    private static readonly (string Prefix, long Tokens)[] BuiltIn =
    [
        // Claude: InvokeModel requires max_tokens (Bedrock refuses the call, nothing generated); Converse
        // defaults to the model's maximum, 64,000 for Claude Sonnet 4 / 4.5 and Opus 4.5 (Anthropic's
        // models overview; not re-read 2026-12-04), the largest of the family on Bedrock without a beta flag.
        ("anthropic.", 64_000),
        // Titan Text: maxTokenCount defaults to 512 on InvokeModel; maxima Lite 4,096, Express 8,192,
        // Premier 3,072 (Bedrock user guide, model-parameters-titan-text, read 2026-12-04). Converse: the maximum.
        ("amazon.titan-text", 8_192),
        // Nova understanding models: Converse and InvokeModel default to the model's maximum output,
        // 10,000 tokens for Micro / Lite / Pro (Nova user guide; not re-read 2026-12-04); Premier 32,000.
        ("amazon.nova", 10_000),
        ("amazon.nova-premier", 32_000),
        // Llama: max_gen_len defaults to 512 on InvokeModel, at most 2,048 (Llama 3) and 8,192 for 3.1+
        // on Bedrock (model-parameters-meta; not re-read 2026-12-04). Converse: the maximum.
        ("meta.llama", 8_192),
        // Mistral: max_tokens defaults to 512 (7B, Mixtral) or 8,192 (Large, Small); maxima 8,192 (7B,
        // Large, Small) and 4,096 (Mixtral) (model-parameters-mistral-text-completion, read 2026-12-04).
        ("mistral.", 8_192),
        // Cohere Command R / R+: max_tokens default and maximum 4,000 (model-parameters-cohere-command-r-plus;
        // not re-read 2026-12-04). Legacy Command text: at most 4,096.
        ("cohere.command", 4_096),
        // DeepSeek-R1: max_tokens up to 32,768 on Bedrock (model-parameters-deepseek; not re-read 2026-12-04).
        ("deepseek.", 32_768),
        // gpt-oss: OpenAI chat completions bodies; no Bedrock default documented that we found; the
        // models' own output ceiling is far above this, so operators serving them should set one.
        ("openai.", 32_768),
        // AI21 Jamba: max_tokens up to 4,096 (model-parameters-jamba; not re-read 2026-12-04).
        ("ai21.", 4_096),
        // Anything else (other providers, application inference profiles whose ARN names no model,
        // the local simulator's sim.* ids).
        (Fallback, 4_096),
    ];

    private readonly (string Prefix, long Tokens)[] _entries;

    private OutputTokenDefaults((string Prefix, long Tokens)[] entries)
    {
        // Longest prefix first, so the first match is the most specific.
        _entries = [.. entries.OrderByDescending(e => e.Prefix == Fallback ? -1 : e.Prefix.Length)];
    }

    public static OutputTokenDefaults Default { get; } = new(BuiltIn);

    /// <summary>Output tokens to reserve for <paramref name="modelId"/> when its request sets no cap.</summary>
    public long For(string modelId)
    {
        string model = FoundationModelId.Of(modelId);
        foreach ((string prefix, long tokens) in _entries)
        {
            if (prefix == Fallback || model.StartsWith(prefix, StringComparison.Ordinal))
            {
                return tokens;
            }
        }
        return 0;
    }

    /// <summary>
    /// The built-in table with <paramref name="overrides"/> applied: comma-separated
    /// <c>prefix=tokens</c> entries (prefixes of foundation model ids, lower case; <c>*</c> the fallback),
    /// tokens a whole number from 1 to 1,000,000. Empty keeps the built-in table. A malformed value throws
    /// (start-up fails, naming the entry).
    /// </summary>
    public static OutputTokenDefaults Parse(string? overrides, string settingName)
    {
        if (string.IsNullOrWhiteSpace(overrides))
        {
            return Default;
        }
        var table = BuiltIn.ToDictionary(e => e.Prefix, e => e.Tokens, StringComparer.Ordinal);
        foreach (string raw in overrides.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = raw.IndexOf('=', StringComparison.Ordinal);
            string prefix = equals > 0 ? raw[..equals].Trim().ToLowerInvariant() : "";
            string value = equals > 0 ? raw[(equals + 1)..].Trim() : "";
            if (prefix.Length == 0
                || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long tokens)
                || tokens is < 1 or > 1_000_000)
            {
                throw new InvalidOperationException(
                    $"{settingName} must be comma-separated prefix=tokens entries (e.g. anthropic.=8192,*=2048; tokens 1 to 1000000), got '{raw}'.");
            }
            table[prefix] = tokens;
        }
        return new OutputTokenDefaults([.. table.Select(e => (e.Key, e.Value))]);
    }
}
