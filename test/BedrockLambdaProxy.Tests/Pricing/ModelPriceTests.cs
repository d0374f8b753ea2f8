using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Pricing;

/// <summary>The shipped rows' cost of every token class, against costs computed by hand (in micro-dollars, µ$).</summary>
public sealed class ModelPriceTests
{
    private const string Sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    private static ModelPrice Shipped(string modelId) => PriceBook.Shipped.Find(modelId) ?? throw new InvalidOperationException(modelId + " has no shipped price");

    [Theory]
    // Sonnet 4.5 on a global profile: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million tokens.
    // 1000 in × 3 = 3000 µ$; 500 out × 15 = 7500 µ$; 2000 cache read × 0.30 = 600 µ$; 400 cache write × 3.75 = 1500 µ$.
    [InlineData("global." + Sonnet45, 1000, 0, 0, 0, 3000)]
    [InlineData("global." + Sonnet45, 0, 500, 0, 0, 7500)]
    [InlineData("global." + Sonnet45, 0, 0, 2000, 0, 600)]
    [InlineData("global." + Sonnet45, 0, 0, 0, 400, 1500)]
    [InlineData("global." + Sonnet45, 1000, 500, 2000, 400, 12_600)]
    // Geographic (us.) and in-region: 10% more: $3.30, $16.50, $0.33, $4.125.
    // 3300 + 8250 + 660 + 1650 = 13,860 µ$.
    [InlineData("us." + Sonnet45, 1000, 500, 2000, 400, 13_860)]
    [InlineData("eu." + Sonnet45, 1000, 0, 0, 0, 3300)]
    [InlineData(Sonnet45, 0, 0, 0, 400, 1650)]
    // Haiku 4.5 global: $1 in, $5 out, $0.10 read, $1.25 write per million, so µ$ per token:
    // 1000 × 1 = 1000; 1000 × 5 = 5000; 1000 × 0.10 = 100; 1000 × 1.25 = 1250 → 7350 µ$.
    [InlineData("global.anthropic.claude-haiku-4-5-20251001-v1:0", 1000, 1000, 1000, 1000, 7350)]
    // Nova Lite (one price for every tier): $0.06 in, $0.24 out, $0.015 read, $0.06 write → 60 + 240 + 15 + 60 = 375 µ$.
    [InlineData("amazon.nova-lite-v1:0", 1000, 1000, 1000, 1000, 375)]
    [InlineData("us.amazon.nova-lite-v1:0", 1000, 1000, 1000, 1000, 375)]
    // Nova Micro $0.035 in: 100 tokens = 3.5 µ$, rounded half up once per request to 4 µ$.
    [InlineData("amazon.nova-micro-v1:0", 100, 0, 0, 0, 4)]
    // 10 tokens = 0.35 µ$ rounds to 0: below a micro-dollar a request rounds down (documented in docs/COST.md).
    [InlineData("amazon.nova-micro-v1:0", 10, 0, 0, 0, 0)]
    // Claude 3 Haiku: $0.25 in, $1.25 out: 1,000,000 in = $0.25 = 250,000 µ$; 1,000,000 out = 1,250,000 µ$.
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", 1_000_000, 1_000_000, 0, 0, 1_500_000)]
    // Opus 4.1: $15 in, $75 out, $1.50 read, $18.75 write: 100 each → 1500 + 7500 + 150 + 1875 = 11,025 µ$.
    [InlineData("us.anthropic.claude-opus-4-1-20250805-v1:0", 100, 100, 100, 100, 11_025)]
    public void CostMicroUsd_ShippedRow_MatchesHandComputation(string modelId, long input, long output, long cacheRead, long cacheWrite, long expected)
    {
        long cost = Shipped(modelId).CostMicroUsd(new TokenUsage(input, output, cacheRead, cacheWrite));

        Assert.Equal(expected, cost);
    }

    [Fact]
    public void CostMicroUsd_HalfMicroDollar_RoundsUpOncePerRequest()
    {
        // 1 µ$ per million per class: 250,000 input + 250,000 output tokens are 0.25 + 0.25 = 0.5 µ$ → 1 µ$, where
        // rounding each class apart would have given 0 + 0.
        var price = new ModelPrice("m", PriceTier.InRegion, 1, 1, 1, 1, "v");

        Assert.Equal(1, price.CostMicroUsd(new TokenUsage(250_000, 250_000)));
    }

    [Fact]
    public void Shipped_Claude45_OneHourCacheWriteIsTwiceInput()
    {
        ModelPrice global = Shipped("global." + Sonnet45);
        ModelPrice regional = Shipped("us." + Sonnet45);

        Assert.Equal(6_000_000, global.CacheWrite1hMicroUsdPerMillion);
        Assert.Equal(6_600_000, regional.CacheWrite1hMicroUsdPerMillion);
    }

    [Fact]
    public void Shipped_EveryRow_NamesItsSourceAndVersion()
    {
        Assert.All(ShippedPrices.Rows, row =>
        {
            Assert.Contains("https://", row.Source, StringComparison.Ordinal);
            Assert.Contains("read 2026-", row.Source, StringComparison.Ordinal);
            Assert.Equal(ShippedPrices.Version, row.Version);
            // Embedding models produce no output tokens; every other model prices both directions.
            bool embeds = row.ModelId.Contains(".embed", StringComparison.Ordinal) || row.ModelId.Contains("-embed-", StringComparison.Ordinal);
            Assert.True(row.InputMicroUsdPerMillion > 0 && (embeds || row.OutputMicroUsdPerMillion > 0), row.ModelId);
        });
    }
}
