namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// The price table shipped with the function: on-demand, standard prices in US dollars per million
/// tokens, each row with its public source and the date it was read (docs/COST.md lists them).
/// Operators override or add rows without a deploy (<c>bedrock-proxy-admin prices set</c>).
/// </summary>
/// <remarks>
/// Tier rule used for Claude 4.5-generation models: Bedrock's <c>global.</c> profiles are priced at the
/// list price; geographic profiles and in-region calls at 10% more. Older models have one price for every
/// tier (cross-region inference adds no charge). Models without a row here (Llama, Titan, Mistral, …) stay
/// unpriced: no figure could be read for them, and a guessed price is worse than none.
/// </remarks>
internal static class ShippedPrices
{
    /// <summary>Stored beside every cost computed from this table.</summary>
    public const string Version = "shipped-2026-12-04";

    private const string AnthropicPage = "https://platform.claude.com/docs/en/docs/about-claude/pricing (read 2026-12-04)";
    private const string RegionalPremium = AnthropicPage
        + " + 10% for geographic and in-region endpoints of 4.5-generation models, https://sam.mehdi.consulting/posts/saving-money-on-bedrock-is-hard/ and https://clauder-navi.com/en/bedrock-claude-cost/ (read 2026-12-04)";
    private const string NovaPages = "https://pristren.com/blog/amazon-nova-micro-ultra-fast (input/output, citing aws.amazon.com/bedrock/pricing) and https://www.swfte.com/de/blog/amazon-nova-pro-pricing (cache read at 25% of input) (read 2026-12-04)";

    public static IReadOnlyList<ModelPrice> Rows { get; } =
    [
        .. Claude45("anthropic.claude-haiku-4-5-20251001-v1:0", input: 1.00, output: 5.00),
        .. Claude45("anthropic.claude-sonnet-4-5-20250929-v1:0", input: 3.00, output: 15.00),
        .. Claude45("anthropic.claude-opus-4-5-20251101-v1:0", input: 5.00, output: 25.00),
        .. EveryTier("anthropic.claude-sonnet-4-20250514-v1:0", 3.00, 15.00, 0.30, 3.75, 6.00, AnthropicPage),
        .. EveryTier("anthropic.claude-opus-4-1-20250805-v1:0", 15.00, 75.00, 1.50, 18.75, 30.00, AnthropicPage),
        .. EveryTier("anthropic.claude-opus-4-20250514-v1:0", 15.00, 75.00, 1.50, 18.75, 30.00, AnthropicPage),
        .. EveryTier("anthropic.claude-3-7-sonnet-20250219-v1:0", 3.00, 15.00, 0.30, 3.75, 6.00, AnthropicPage),
        .. EveryTier("anthropic.claude-3-5-haiku-20241022-v1:0", 0.80, 4.00, 0.08, 1.00, 1.60, AnthropicPage),
        .. EveryTier("anthropic.claude-3-haiku-20240307-v1:0", 0.25, 1.25, 0.03, 0.30, 0.50, AnthropicPage),
        // Nova: cache writes carry no charge beyond the input price the request already pays (priced as input).
        .. EveryTier("amazon.nova-micro-v1:0", 0.035, 0.14, 0.00875, 0.035, null, NovaPages),
        .. EveryTier("amazon.nova-lite-v1:0", 0.06, 0.24, 0.015, 0.06, null, NovaPages),
        .. EveryTier("amazon.nova-pro-v1:0", 0.80, 3.20, 0.20, 0.80, null, NovaPages),
    ];

    /// <summary>A 4.5-generation Claude model: list price on global profiles, 10% more elsewhere; cache read 0.1×, writes 1.25× (5 min) and 2× (1 h) of input.</summary>
    private static IEnumerable<ModelPrice> Claude45(string modelId, double input, double output)
    {
        yield return Row(modelId, PriceTier.Global, input, output, input * 0.1, input * 1.25, input * 2, AnthropicPage);
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
