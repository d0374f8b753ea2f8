using System.Buffers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Tests.Fakes;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Usage;

public sealed class UsageEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryReadMonth_NoParameter_IsTheCurrentUtcMonth()
    {
        var endpoint = new UsageEndpoint(Reader(new PagedDynamo([], null)), new ManualTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(2))));

        Assert.True(endpoint.TryReadMonth(Request([]), out string month, out ApiError? error));
        // 00:30 at +02:00 is still December in UTC.
        Assert.Equal("2026-12", month);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("1999-12")]
    [InlineData(" 2026-12")]
    [InlineData("2026/12")]
    [InlineData("2026-12#rec")]
    [InlineData("")]
    public void TryReadMonth_Malformed_Is400NamingMonth(string asked)
    {
        var endpoint = new UsageEndpoint(Reader(new PagedDynamo([], null)), new ManualTimeProvider(Now));

        Assert.False(endpoint.TryReadMonth(Request(new() { ["month"] = asked }), out _, out ApiError? error));
        Assert.Equal(400, error!.StatusCode);
        Assert.Equal("month", error.Param);
    }

    [Fact]
    public async Task ReadAsync_MoreRecordsThanTheBound_StopsReadingAndTakesTotalsFromTheAggregate()
    {
        // Two pages of 3; the bound of 4 must not ask for a third page, which would fail.
        var dynamo = new PagedDynamo(
            [[Item(1, 100), Item(2, 200), Item(3, null)], [Item(4, 400), Item(5, 500), Item(6, 600)]],
            Aggregate(requests: 50, input: 5000, cost: 7_000_000, unpriced: 0));
        var endpoint = new UsageEndpoint(Reader(dynamo), new ManualTimeProvider(Now), maxRecords: 4);

        UsageSummary summary = await endpoint.ReadAsync("acme", "2026-12", CancellationToken.None);

        Assert.True(summary.Truncated);
        Assert.Equal(4, summary.RecordsRead);
        Assert.Equal(2, dynamo.Queries);
        Assert.Equal(50, summary.Totals.Requests);
        Assert.Equal(5000, summary.Totals.InputTokens);
        // The aggregate knew no unpriced request; the records read found one: the total stays unknown.
        Assert.Equal(1, summary.Totals.UnpricedRequests);
        Assert.Null(summary.Totals.CostMicroUsd);
        Assert.Equal(7_000_000, summary.Totals.PricedCostMicroUsd);
        string json = Render(summary);
        Assert.Contains("\"truncated\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"costUsd\":null,\"pricedCostUsd\":7", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WithinTheBound_SumsRecordsExactlyInDollars()
    {
        var dynamo = new PagedDynamo([[Item(1, 1_234_567), Item(2, 1)]], null);
        var endpoint = new UsageEndpoint(Reader(dynamo), new ManualTimeProvider(Now), maxRecords: 4);

        UsageSummary summary = await endpoint.ReadAsync("acme", "2026-12", CancellationToken.None);

        Assert.False(summary.Truncated);
        Assert.Equal(0, dynamo.GetItems);
        string json = Render(summary);
        Assert.Contains(
            "\"totals\":{\"requests\":2,\"inputTokens\":20,\"outputTokens\":10,\"cacheReadInputTokens\":6,\"cacheWriteInputTokens\":4,"
            + "\"errors\":0,\"estimatedRequests\":0,\"unpricedRequests\":0,\"costUsd\":1.234568,\"pricedCostUsd\":1.234568}",
            json, StringComparison.Ordinal);
        Assert.Contains("\"byDay\":[{\"date\":\"2026-12-01\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_RecordWithoutTokens_CountsARequestAndAnErrorButNoUnknownCost()
    {
        var tally = new UsageTally();

        tally.Add(Record(1, null) with { Tokens = null, HttpStatus = 429, ErrorType = "ThrottlingException" });

        Assert.Equal(1, tally.Requests);
        Assert.Equal(1, tally.Errors);
        Assert.Equal(0, tally.UnpricedRequests);
        Assert.Equal(0, tally.CostMicroUsd);
    }

    private static UsageReportReader Reader(IAmazonDynamoDB dynamo) => new(dynamo, "usage", "rate-limits");

    private static string Render(UsageSummary summary)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            summary.WriteTo(json);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ProxyRequest Request(Dictionary<string, string> query) => new()
    {
        Method = "GET",
        Path = "/v1/usage",
        Headers = new Dictionary<string, string>(),
        Query = query,
        Body = ReadOnlyMemory<byte>.Empty,
        StageVariables = new Dictionary<string, string>(),
        Origin = EventOrigin.FunctionUrl,
        Delivery = DeliveryMode.Streamed,
    };

    private static UsageRecord Record(int second, long? cost) => new()
    {
        RequestId = "req-" + second,
        CustomerId = "acme",
        KeyId = "bk_" + (second % 2),
        ModelId = "amazon.nova-lite-v1:0",
        Surface = "converse",
        Streamed = false,
        HttpStatus = 200,
        Tokens = new TokenUsage(10, 5, 3, 2),
        CostMicroUsd = cost,
        LatencyMs = 1,
        Timestamp = new DateTimeOffset(2026, 12, 1, 0, 0, second, TimeSpan.Zero),
    };

    private static Dictionary<string, AttributeValue> Item(int second, long? cost) => UsageItem.ToItem(Record(second, cost));

    private static Dictionary<string, AttributeValue> Aggregate(long requests, long input, long cost, long unpriced)
    {
        Dictionary<string, AttributeValue> item = CounterItem.Key("acme");
        foreach ((string field, long value) in new[]
        {
            (UsageItem.Requests, requests), (UsageItem.InputTokens, input), (UsageItem.OutputTokens, 0L),
            (UsageItem.CacheReadInputTokens, 0L), (UsageItem.CacheWriteInputTokens, 0L), (UsageItem.Errors, 0L),
            (UsageItem.CostMicroUsd, cost), (UsageItem.UnpricedRequests, unpriced),
        })
        {
            item[CounterItem.Aggregate("2026-12", field)] = CounterItem.Number(value);
        }
        return item;
    }

    /// <summary>Answers Query with fixed pages (LastEvaluatedKey chaining them) and GetItem with one item.</summary>
    private sealed class PagedDynamo(List<List<Dictionary<string, AttributeValue>>> pages, Dictionary<string, AttributeValue>? aggregate)
        : AmazonDynamoDBClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 })
    {
        public int Queries { get; private set; }

        public int GetItems { get; private set; }

        public override Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
        {
            Assert.Equal("cust#acme#2026-12", request.ExpressionAttributeValues[":pk"].S);
            int page = request.ExclusiveStartKey is { Count: > 0 } start ? int.Parse(start["page"].N) : 0;
            Queries++;
            return Task.FromResult(new QueryResponse
            {
                Items = pages[page],
                LastEvaluatedKey = page + 1 < pages.Count ? new() { ["page"] = new AttributeValue { N = (page + 1).ToString() } } : null,
            });
        }

        public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
        {
            GetItems++;
            return Task.FromResult(new GetItemResponse { Item = aggregate });
        }
    }
}
