using System.Text.Json;
using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.Pricing;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary><c>prices list|set|map</c> against dynalite, read back the way running functions read them.</summary>
public sealed class PricesCliTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private readonly AdminCliRunner _cli = new(dynamo);

    [Fact]
    public async Task PricesSet_NewModel_ListedAndFoundByRunningFunctionsBook()
    {
        string model = "vendor.model-" + Guid.NewGuid().ToString("N")[..8] + "-v1:0";

        CliResult set = await _cli.RunAsync("prices", "set", model, "--tier", "global", "--input", "0.5", "--output", "2.25",
            "--cache-read", "0.05", "--cache-write", "0.625", "--cache-write-1h", "1", "--source", "https://example.com/prices (read 2026-12-04)");
        CliResult list = await _cli.RunAsync("prices", "list", "--format", "json");
        CliResult table = await _cli.RunAsync("prices", "list");

        Assert.Equal(ExitCodes.Success, set.Exit);
        Assert.Contains("within AUTH_CACHE_SECONDS", set.Output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(list.Output);
        JsonElement row = doc.RootElement.GetProperty("prices").EnumerateArray().Single(r => r.GetProperty("modelId").GetString() == model);
        Assert.Equal("global", row.GetProperty("tier").GetString());
        Assert.Equal(2.25m, row.GetProperty("outputUsdPerMillion").GetDecimal());
        Assert.Equal(1m, row.GetProperty("cacheWrite1hUsdPerMillion").GetDecimal());
        Assert.StartsWith("override-", row.GetProperty("version").GetString(), StringComparison.Ordinal);
        // The shipped rows are listed too, with their sources.
        Assert.Contains(doc.RootElement.GetProperty("prices").EnumerateArray(), r => r.GetProperty("version").GetString() == ShippedPrices.Version);
        Assert.Contains(model, table.Output, StringComparison.Ordinal);
        var book = new PriceBook(ShippedPrices.Rows, new PriceStore(dynamo.Client, dynamo.Tables.RateLimits));
        await book.EnsureLoadedAsync();
        ModelPrice? found = book.Find("global." + model);
        Assert.Equal((500_000L, 2_250_000L, 50_000L, 625_000L), (found?.InputMicroUsdPerMillion, found?.OutputMicroUsdPerMillion, found?.CacheReadMicroUsdPerMillion, found?.CacheWriteMicroUsdPerMillion));
        Assert.Null(book.Find("us." + model));
    }

    [Fact]
    public async Task PricesMap_ApplicationProfile_PricedAsItsModel()
    {
        string arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/" + Guid.NewGuid().ToString("N")[..12];

        CliResult map = await _cli.RunAsync("prices", "map", arn, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");

        Assert.Equal(ExitCodes.Success, map.Exit);
        var book = new PriceBook(ShippedPrices.Rows, new PriceStore(dynamo.Client, dynamo.Tables.RateLimits));
        await book.EnsureLoadedAsync();
        Assert.Equal(PriceTier.Geographic, book.Find(arn)?.Tier);
        CliResult list = await _cli.RunAsync("prices", "list");
        Assert.Contains($"profile {arn} -> us.anthropic.claude-sonnet-4-5-20250929-v1:0", list.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us.anthropic.claude-x", "--input", "1")]
    [InlineData("anthropic.claude-x", "--input", "-1")]
    [InlineData("anthropic.claude-x", "--input", "0.0000001")]
    [InlineData("anthropic.claude-x", "--input", "three")]
    public async Task PricesSet_BadModelOrPrice_UsageError(string model, string option, string value)
    {
        CliResult result = await _cli.RunAsync("prices", "set", model, "--tier", "in-region", option, value, "--output", "1");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesMap_NotAnApplicationProfile_UsageError()
    {
        CliResult result = await _cli.RunAsync("prices", "map", "anthropic.claude-x", "anthropic.claude-y");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("application inference profile", result.Error, StringComparison.Ordinal);
    }
}
