using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Tests.Fakes;
using Xunit;

namespace BedrockLambdaProxy.Tests.Pricing;

public sealed class PriceBookTests
{
    private const string Sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private const string Table = "limits";

    [Theory]
    [InlineData(Sonnet45, "InRegion")]
    [InlineData("us." + Sonnet45, "Geographic")]
    [InlineData("eu." + Sonnet45, "Geographic")]
    [InlineData("apac." + Sonnet45, "Geographic")]
    [InlineData("jp." + Sonnet45, "Geographic")]
    [InlineData("au." + Sonnet45, "Geographic")]
    [InlineData("ca." + Sonnet45, "Geographic")]
    [InlineData("us-gov." + Sonnet45, "Geographic")]
    [InlineData("global." + Sonnet45, "Global")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/" + Sonnet45, "InRegion")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/global." + Sonnet45, "Global")]
    [InlineData("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu." + Sonnet45, "Geographic")]
    public void Find_ModelIdForm_ResolvesModelAndTier(string modelId, string tier)
    {
        ModelPrice? price = PriceBook.Shipped.Find(modelId);

        Assert.NotNull(price);
        Assert.Equal(Sonnet45, price.ModelId);
        Assert.Equal(Enum.Parse<PriceTier>(tier), price.Tier);
    }

    [Theory]
    [InlineData("meta.llama3-8b-instruct-v1:0")]
    [InlineData("amazon.titan-text-express-v1")]
    [InlineData("anthropic.claude-x")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123")]
    public void Find_NoRow_IsUnpriced(string modelId) =>
        Assert.Null(PriceBook.Shipped.Find(modelId));

    [Fact]
    public void Find_GeographicWithoutOwnRow_UsesInRegionRow()
    {
        var book = new PriceBook([new ModelPrice("vendor.model", PriceTier.InRegion, 1_000_000, 2_000_000, 0, 0, "v1")]);

        Assert.Equal(PriceTier.InRegion, book.Find("eu.vendor.model")?.Tier);
        Assert.Null(book.Find("global.vendor.model"));
    }

    [Fact]
    public void Empty_EveryModel_Unpriced() =>
        Assert.Null(PriceBook.Empty.Find("global." + Sonnet45));

    [Fact]
    public async Task Find_OverrideAndProfileStored_OverrideWinsAndProfileMaps()
    {
        var dynamo = new InMemoryDynamo();
        const string profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team-a";
        await StoreAsync(dynamo, new Dictionary<string, AttributeValue>
        {
            [PriceStore.RowName(Sonnet45, PriceTier.Global)] = Row(2_000_000, 10_000_000, "op-1"),
            ["p#" + profile] = new AttributeValue { S = "global." + Sonnet45 },
        });
        var book = new PriceBook(ShippedPrices.Rows, new PriceStore(dynamo, Table));

        await book.EnsureLoadedAsync();

        ModelPrice? overridden = book.Find("global." + Sonnet45);
        Assert.Equal(("op-1", 2_000_000L), (overridden?.Version, overridden?.InputMicroUsdPerMillion));
        Assert.Same(overridden, book.Find(profile));
        // Other tiers keep the shipped rows.
        Assert.Equal(ShippedPrices.Version, book.Find("us." + Sonnet45)?.Version);
    }

    [Fact]
    public async Task Find_WithinRefreshPeriod_NoDynamoRead_AfterIt_OneRead()
    {
        var dynamo = new InMemoryDynamo();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var book = new PriceBook(ShippedPrices.Rows, new PriceStore(dynamo, Table), TimeSpan.FromSeconds(60), time);
        await book.EnsureLoadedAsync();
        Assert.Equal(1, dynamo.GetItemCalls);
        await StoreAsync(dynamo, new() { [PriceStore.RowName(Sonnet45, PriceTier.Global)] = Row(1, 1, "op-2") });

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(ShippedPrices.Version, book.Find("global." + Sonnet45)?.Version);
        }
        Assert.Equal(1, dynamo.GetItemCalls);

        time.Advance(TimeSpan.FromSeconds(61));
        book.Find("global." + Sonnet45); // starts the background refresh, answers from the rows in force
        await WaitForAsync(() => book.Find("global." + Sonnet45)?.Version == "op-2");
        Assert.Equal(2, dynamo.GetItemCalls);
    }

    [Fact]
    public async Task EnsureLoaded_DynamoDown_KeepsShippedRows()
    {
        var dynamo = new InMemoryDynamo { Down = true };
        var book = new PriceBook(ShippedPrices.Rows, new PriceStore(dynamo, Table));

        await book.EnsureLoadedAsync();

        Assert.Equal(ShippedPrices.Version, book.Find("global." + Sonnet45)?.Version);
    }

    private static Task StoreAsync(InMemoryDynamo dynamo, Dictionary<string, AttributeValue> attributes)
    {
        var item = new Dictionary<string, AttributeValue> { ["pk"] = new AttributeValue { S = PriceStore.PartitionKey } };
        foreach ((string name, AttributeValue value) in attributes)
        {
            item[name] = value;
        }
        return dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = item });
    }

    private static AttributeValue Row(long input, long output, string version) => new()
    {
        M = new Dictionary<string, AttributeValue>
        {
            ["in"] = new() { N = input.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["out"] = new() { N = output.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["cr"] = new() { N = "0" },
            ["cw"] = new() { N = "0" },
            ["ver"] = new() { S = version },
        },
    };

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
