namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// The price table shipped with the function: on-demand, standard prices in US dollars per million
/// tokens, each row with its public source and the date it was read (docs/COST.md lists them).
/// Operators override or add rows without a deploy (<c>bedrock-proxy-admin prices set</c>).
/// </summary>
/// <remarks>
/// aws.amazon.com/bedrock/pricing renders its tables in the browser, so its figures cannot be read as text; the
/// rows come from an AWS-authored cache of that page (<see cref="AwsCache"/>), from AWS's documentation for the
/// tier rule, and, where marked, from the model vendor's or third parties' pages (docs/COST.md lists every row).
/// Tier rule for Claude 4.5-generation models: Bedrock's <c>global.</c> profiles are priced at the list price;
/// geographic profiles and in-region calls at 10% more. Other models have one price for every tier
/// (cross-region inference adds no charge). Models without a row here (Titan Text, Llama 3 8B, …) stay
/// unpriced: no figure could be read for them, and a guessed price is worse than none.
/// </remarks>
internal static class ShippedPrices
{
    /// <summary>Stored beside every cost computed from this table.</summary>
    public const string Version = "shipped-2026-12-05";

    /// <summary>AWS's own cache of the Bedrock pricing page (us-east-1 unless the row says otherwise), kept in an AWS repository.</summary>
    private const string AwsCache = "https://github.com/aws/agent-toolkit-for-aws/blob/main/plugins/aws-startup-advisor/skills/agent-advisor/references/vendored/ai/bedrock-pricing-cache.md"
        + " (AWS-authored cache of aws.amazon.com/bedrock/pricing, updated 2026-09-03, read 2026-12-05)";
    private const string CacheRule = "; cache writes 1.25x and reads 0.1x of input, https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/core-skills/amazon-bedrock/references/prompt-caching.md (AWS-authored, read 2026-12-05)";
    private const string AnthropicPage = "https://platform.claude.com/docs/en/docs/about-claude/pricing (model vendor's list price, read 2026-12-04)";
    private const string GlobalTier = AwsCache
        + "; global. profiles about 10% below geographic, https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html (read 2026-12-05)";
    private const string RegionalPremium = GlobalTier + ", so geographic and in-region = list + 10%";
    private const string NovaPage = AwsCache + "; cache reads 75% below input (same file); no separate cache-write charge found, priced as input";
    private const string OhioPrice = AwsCache + ", row listed for US East (Ohio)";
    private const string ThirdPartyEmbeddings = "third-party only, no AWS page readable: https://inventivehq.com/blog/aws-bedrock-pricing-guide and "
        + "https://www.getmaxim.ai/bifrost/llm-cost-calculator/provider/bedrock/model/cohere.embed-v4-0.md (read 2026-12-05)";

    public static IReadOnlyList<ModelPrice> Rows { get; } =
    [
        .. Claude45("anthropic.claude-haiku-4-5-20251001-v1:0", input: 1.00, output: 5.00),
        .. Claude45("anthropic.claude-sonnet-4-5-20250929-v1:0", input: 3.00, output: 15.00),
        .. Claude45("anthropic.claude-opus-4-5-20251101-v1:0", input: 5.00, output: 25.00),
        // Bedrock offers the 1-hour cache only on 4.5-generation models (prompt-caching.md above): no 1 h column here.
        .. EveryTier("anthropic.claude-sonnet-4-20250514-v1:0", 3.00, 15.00, 0.30, 3.75, null, AwsCache + CacheRule),
        .. EveryTier("anthropic.claude-opus-4-1-20250805-v1:0", 15.00, 75.00, 1.50, 18.75, null, AwsCache + CacheRule),
        .. EveryTier("anthropic.claude-opus-4-20250514-v1:0", 15.00, 75.00, 1.50, 18.75, null, AnthropicPage),
        .. EveryTier("anthropic.claude-3-7-sonnet-20250219-v1:0", 3.00, 15.00, 0.30, 3.75, null, AnthropicPage),
        .. EveryTier("anthropic.claude-3-5-haiku-20241022-v1:0", 0.80, 4.00, 0.08, 1.00, null, AnthropicPage),
        .. EveryTier("anthropic.claude-3-haiku-20240307-v1:0", 0.25, 1.25, 0.03, 0.30, null, AnthropicPage),
        // Nova: cache writes carry no charge beyond the input price the request already pays (priced as input).
        .. EveryTier("amazon.nova-micro-v1:0", 0.035, 0.14, 0.00875, 0.035, null, NovaPage),
        .. EveryTier("amazon.nova-lite-v1:0", 0.06, 0.24, 0.015, 0.06, null, NovaPage),
        .. EveryTier("amazon.nova-pro-v1:0", 0.80, 3.20, 0.20, 0.80, null, NovaPage),
        Row("amazon.nova-2-lite-v1:0", PriceTier.Global, 0.30, 2.50, 0.075, 0.30, null, NovaPage),
        Row("amazon.nova-2-lite-v1:0", PriceTier.Geographic, 0.33, 2.75, 0.0825, 0.33, null, NovaPage),
        Row("amazon.nova-2-lite-v1:0", PriceTier.InRegion, 0.33, 2.75, 0.0825, 0.33, null, NovaPage),
        // Models without prompt caching: the cache columns are never used; input price keeps them defined.
        .. Uncached("meta.llama4-maverick-17b-instruct-v1:0", 0.24, 0.97, OhioPrice),
        .. Uncached("meta.llama4-scout-17b-instruct-v1:0", 0.17, 0.66, OhioPrice),
        .. Uncached("meta.llama3-3-70b-instruct-v1:0", 0.72, 0.72, OhioPrice),
        .. Uncached("meta.llama3-1-70b-instruct-v1:0", 0.72, 0.72, OhioPrice),
        .. Uncached("meta.llama3-1-8b-instruct-v1:0", 0.22, 0.22, OhioPrice),
        .. Uncached("deepseek.r1-v1:0", 1.35, 5.40, OhioPrice),
        .. Uncached("openai.gpt-oss-20b-1:0", 0.07, 0.30, OhioPrice),
        .. Uncached("openai.gpt-oss-120b-1:0", 0.15, 0.60, OhioPrice),
        // Embeddings bill input tokens only.
        .. Uncached("amazon.titan-embed-text-v2:0", 0.02, 0, ThirdPartyEmbeddings),
        .. Uncached("cohere.embed-english-v3", 0.10, 0, ThirdPartyEmbeddings),
        .. Uncached("cohere.embed-multilingual-v3", 0.10, 0, ThirdPartyEmbeddings),
        .. Uncached("cohere.embed-v4:0", 0.12, 0, ThirdPartyEmbeddings),
    ];

    /// <summary>A 4.5-generation Claude model: list price on global profiles, 10% more elsewhere; cache read 0.1×, writes 1.25× (5 min) and 2× (1 h) of input.</summary>
    private static IEnumerable<ModelPrice> Claude45(string modelId, double input, double output)
    {
        yield return Row(modelId, PriceTier.Global, input, output, input * 0.1, input * 1.25, input * 2, GlobalTier + CacheRule);
        double regional = input * 1.1;
        yield return Row(modelId, PriceTier.Geographic, regional, output * 1.1, regional * 0.1, regional * 1.25, regional * 2, RegionalPremium);
        yield return Row(modelId, PriceTier.InRegion, regional, output * 1.1, regional * 0.1, regional * 1.25, regional * 2, RegionalPremium);
    }

    private static IEnumerable<ModelPrice> EveryTier(
        string modelId, double input, double output, double cacheRead, double cacheWrite, double? cacheWrite1h, string source)
    {
        foreach (PriceTier tier in Enum.GetValues<PriceTier>())
        {
            yield return Row(modelId, tier, input, output, cacheRead, cacheWrite, cacheWrite1h, source);
        }
    }

    private static IEnumerable<ModelPrice> Uncached(string modelId, double input, double output, string source) =>
        EveryTier(modelId, input, output, input, input, null, source);

    private static ModelPrice Row(
        string modelId, PriceTier tier, double input, double output, double cacheRead, double cacheWrite, double? cacheWrite1h, string source) =>
        new(modelId, tier, Micro(input), Micro(output), Micro(cacheRead), Micro(cacheWrite), Version)
        {
            CacheWrite1hMicroUsdPerMillion = cacheWrite1h is double hour ? Micro(hour) : null,
            Source = source,
        };

    /// <summary>Dollars per million to micro-dollars per million, rounded to the micro-dollar (the table's figures have at most 6 decimals).</summary>
    internal static long Micro(double dollarsPerMillion) => (long)Math.Round(dollarsPerMillion * 1_000_000, MidpointRounding.AwayFromZero);
}
