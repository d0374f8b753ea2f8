using System.Text.Json;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Pricing;

/// <summary>How a usage record gets its cost, and how the usage log line shows it.</summary>
public sealed class RecordPricingTests
{
    private static readonly UsageRecord Record = new()
    {
        RequestId = "req-1",
        CustomerId = "acme",
        KeyId = "key-1",
        ModelId = "amazon.nova-lite-v1:0",
        Surface = "converse",
        Streamed = false,
        HttpStatus = 200,
        Tokens = new TokenUsage(1000, 1000, 1000, 1000),
        LatencyMs = 1,
        Timestamp = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Priced_PricedModel_CostAndVersion()
    {
        UsageRecord priced = ProxyPipeline.Priced(Record, PriceBook.Shipped);

        // 1000 each of input, output, cache read, cache write at $0.06/$0.24/$0.015/$0.06 per million = 60 + 240 + 15 + 60 µ$.
        Assert.Equal(375, priced.CostMicroUsd);
        Assert.Equal(ShippedPrices.Version, priced.PriceVersion);
    }

    [Fact]
    public void Priced_EstimatedTokens_PricedAndStillMarked()
    {
        UsageRecord priced = ProxyPipeline.Priced(Record with { Estimated = true }, PriceBook.Shipped);

        Assert.True(priced.Estimated);
        Assert.Equal(375, priced.CostMicroUsd);
    }

    [Theory]
    [InlineData("meta.llama3-8b-instruct-v1:0", true)]
    [InlineData("amazon.nova-lite-v1:0", false)]
    public void Priced_UnpricedModelOrNothingCharged_NoCostNeverZero(string modelId, bool hasTokens)
    {
        UsageRecord record = Record with { ModelId = modelId, Tokens = hasTokens ? Record.Tokens : null };

        UsageRecord priced = ProxyPipeline.Priced(record, PriceBook.Shipped);

        Assert.Null(priced.CostMicroUsd);
        Assert.Null(priced.PriceVersion);
    }

    [Fact]
    public void UsageLog_Priced_CostAndVersionOnTheLine()
    {
        JsonElement line = LogLine(ProxyPipeline.Priced(Record, PriceBook.Shipped));

        Assert.Equal(375, line.GetProperty("cost_micro_usd").GetInt64());
        Assert.Equal(ShippedPrices.Version, line.GetProperty("price_version").GetString());
        Assert.False(line.TryGetProperty("unpriced", out _));
    }

    [Fact]
    public void UsageLog_Unpriced_SaysSoWithoutACost()
    {
        JsonElement line = LogLine(Record with { ModelId = "meta.llama3-8b-instruct-v1:0" });

        Assert.True(line.GetProperty("unpriced").GetBoolean());
        Assert.False(line.TryGetProperty("cost_micro_usd", out _));
    }

    private static JsonElement LogLine(UsageRecord record)
    {
        var output = new StringWriter();
        new UsageLog(new JsonLog(output, TimeProvider.System)).Write(record);
        using JsonDocument document = JsonDocument.Parse(output.ToString());
        return document.RootElement.Clone();
    }
}
