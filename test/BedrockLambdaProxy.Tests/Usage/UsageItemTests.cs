using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Usage;

public sealed class UsageItemTests
{
    private static readonly UsageRecord Record = new()
    {
        RequestId = "req-1",
        CustomerId = "acme",
        KeyId = "key-1",
        ModelId = "amazon.nova-lite-v1:0",
        Surface = "converse",
        Streamed = true,
        HttpStatus = 200,
        ErrorType = "DeadlineExceeded",
        Tokens = new TokenUsage(12, 34),
        LatencyMs = 1.5,
        Timestamp = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void ToItem_EstimatedWithBedrockRequestId_StoresAndReadsBoth()
    {
        UsageRecord estimated = Record with { Estimated = true, BedrockRequestId = "b-123" };

        Dictionary<string, AttributeValue> item = UsageItem.ToItem(estimated);

        Assert.True(item[UsageItem.Estimated].BOOL);
        Assert.Equal("b-123", item[UsageItem.BedrockRequestId].S);
        Assert.Equal(estimated, UsageItem.FromItem(item));
    }

    [Fact]
    public void ToItem_SeveralBedrockCalls_StoresEveryRequestIdInOrderAndTheCount()
    {
        UsageRecord embeddings = Record with { Surface = "openai-embeddings", BedrockRequestId = "b-1", BedrockRequestIds = ["b-1", "b-3", "b-2"], BedrockCalls = 3 };

        Dictionary<string, AttributeValue> item = UsageItem.ToItem(embeddings);
        UsageRecord read = UsageItem.FromItem(item);

        Assert.Equal(["b-1", "b-3", "b-2"], item[UsageItem.BedrockRequestIds].L.Select(v => v.S));
        Assert.Equal("3", item[UsageItem.BedrockCalls].N);
        Assert.Equal("b-1", item[UsageItem.BedrockRequestId].S);
        Assert.Equal(["b-1", "b-3", "b-2"], read.BedrockRequestIds);
        Assert.Equal(embeddings with { BedrockRequestIds = null }, read with { BedrockRequestIds = null });
    }

    [Fact]
    public void ToItem_OneBedrockCall_NoListOrCountAttribute()
    {
        Dictionary<string, AttributeValue> item = UsageItem.ToItem(Record with { BedrockRequestId = "b-1" });

        Assert.False(item.ContainsKey(UsageItem.BedrockRequestIds));
        Assert.False(item.ContainsKey(UsageItem.BedrockCalls));
        Assert.Equal((null, null), (UsageItem.FromItem(item).BedrockRequestIds, UsageItem.FromItem(item).BedrockCalls));
    }

    [Fact]
    public void ToItem_BedrockCounts_NoEstimatedAttribute()
    {
        Dictionary<string, AttributeValue> item = UsageItem.ToItem(Record);

        Assert.False(item.ContainsKey(UsageItem.Estimated));
        Assert.False(UsageItem.FromItem(item).Estimated);
    }

    [Theory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public void AggregateWrite_Estimated_CountsEstimatedRequests(bool estimated, string added)
    {
        UpdateItemRequest update = AggregateWrite.Build("limits", Record with { Estimated = estimated }, null, Record.Timestamp);

        Assert.Equal("u#2026-12#estimatedRequests", update.ExpressionAttributeNames["#est"]);
        Assert.Equal(added, update.ExpressionAttributeValues[":est"].N);
        Assert.Contains("#est :est", update.UpdateExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateWrite_Cost_AddsCostNotUnpriced()
    {
        UpdateItemRequest update = AggregateWrite.Build("limits", Record with { CostMicroUsd = 375, PriceVersion = "v" }, null, Record.Timestamp);

        Assert.Equal("375", update.ExpressionAttributeValues[":cost"].N);
        Assert.Equal("u#2026-12#costMicroUsd", update.ExpressionAttributeNames["#cost"]);
        Assert.DoesNotContain("#unp", update.UpdateExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateWrite_TokensWithoutCost_CountsUnpricedRequest()
    {
        UpdateItemRequest update = AggregateWrite.Build("limits", Record, null, Record.Timestamp);

        Assert.Equal("u#2026-12#unpricedRequests", update.ExpressionAttributeNames["#unp"]);
        Assert.Equal("1", update.ExpressionAttributeValues[":unp"].N);
        Assert.DoesNotContain("#cost", update.UpdateExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateWrite_NothingCharged_NeitherCostNorUnpriced()
    {
        UpdateItemRequest update = AggregateWrite.Build("limits", Record with { Tokens = null }, null, Record.Timestamp);

        Assert.DoesNotContain("#unp", update.UpdateExpression, StringComparison.Ordinal);
        Assert.DoesNotContain("#cost", update.UpdateExpression, StringComparison.Ordinal);
    }
}
