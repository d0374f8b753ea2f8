using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// One price row: what Bedrock charges per million tokens of each class for one model at one price
/// tier, in millionths of a US dollar (so $3.00 per million is 3,000,000).
/// </summary>
/// <param name="Version">Identifies the row's content (shipped table date, or an operator override's version): stored beside every cost.</param>
internal sealed record ModelPrice(
    string ModelId,
    PriceTier Tier,
    long InputMicroUsdPerMillion,
    long OutputMicroUsdPerMillion,
    long CacheReadMicroUsdPerMillion,
    long CacheWriteMicroUsdPerMillion,
    string Version)
{
    /// <summary>
    /// The one-hour cache-write price where Bedrock prices it apart from the default five-minute write;
    /// null when it does not. Kept beside the row: Bedrock's usage counts do not yet split cache writes by
    /// duration, so every write is priced at <see cref="CacheWriteMicroUsdPerMillion"/> (docs/COST.md).
    /// </summary>
    public long? CacheWrite1hMicroUsdPerMillion { get; init; }

    /// <summary>Where the figures come from: a public page and the date it was read, or the operator who set the row.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// The cost of <paramref name="tokens"/> in micro-dollars, rounded half up once per request (each
    /// class is exact in millionths of a micro-dollar before the one rounding), so a request is never
    /// priced at 0 unless it used nothing.
    /// </summary>
    public long CostMicroUsd(TokenUsage tokens)
    {
        Int128 picoUsd = (Int128)tokens.InputTokens * InputMicroUsdPerMillion
            + (Int128)tokens.OutputTokens * OutputMicroUsdPerMillion
            + (Int128)tokens.CacheReadInputTokens * CacheReadMicroUsdPerMillion
            + (Int128)tokens.CacheWriteInputTokens * CacheWriteMicroUsdPerMillion;
        return (long)((picoUsd + 500_000) / 1_000_000);
    }
}
