using BedrockLambdaProxy.IntegrationTests.Limits;
using BedrockLambdaProxy.Usage;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Usage;

/// <summary>Usage records and monthly aggregates on a real dynalite, read back through the admin report reader.</summary>
public sealed class UsageRecorderTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RecordAsync_SeveralRecords_EveryFieldRoundTripsAndAggregateSums()
    {
        string customer = "cust-" + Guid.NewGuid().ToString("N")[..12];
        var recorder = new UsageRecorder(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, _time, TextWriter.Null);
        UsageRecord[] records =
        [
            Sample(customer, new DateTimeOffset(2026, 11, 3, 8, 15, 30, 123, TimeSpan.Zero)) with
            {
                Tokens = new TokenUsage(1200, 345, 1000, 17),
                TimeToFirstTokenMs = 231.75,
                Streamed = true,
            },
            Sample(customer, new DateTimeOffset(2026, 11, 3, 10, 15, 30, TimeSpan.FromHours(2))) with
            {
                HttpStatus = 429,
                ErrorType = "ThrottlingException",
                Tokens = null,
                Surface = "openai",
            },
            Sample(customer, new DateTimeOffset(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero)) with
            {
                HttpStatus = 200,
                ErrorType = "ClientCancelled",
                Tokens = new TokenUsage(10, 5),
                LatencyMs = 0.1 + 0.2,
            },
            // December: another month, not in November's report.
            Sample(customer, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)) with { Tokens = new TokenUsage(7, 7) },
        ];
        foreach (UsageRecord record in records)
        {
            await recorder.RecordAsync(record, CancellationToken.None);
        }
        await recorder.RecordAsync(records[0], CancellationToken.None); // a duplicate call counts once

        var reader = new UsageReportReader(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable);
        List<UsageRecord> november = await ToListAsync(reader.ListRecordsAsync(customer, "2026-11", CancellationToken.None));
        MonthlyUsage? total = await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None);

        // Ordered by time: the +02:00 record is 08:15:30 UTC, after 08:15:30.123 it is not.
        Assert.Equal([records[1], records[0], records[2]], november);
        Assert.Equal(TimeSpan.Zero, november[0].Timestamp.Offset);
        Assert.Equal(new MonthlyUsage(customer, "2026-11", 3, 1210, 350, 1000, 17, 2, UnpricedRequests: 2), total);
        Assert.Equal(new MonthlyUsage(customer, "2026-12", 1, 7, 7, 0, 0, 0, UnpricedRequests: 1), await reader.GetMonthAsync(customer, "2026-12", CancellationToken.None));
        Assert.Null(await reader.GetMonthAsync(customer, "2026-10", CancellationToken.None));
        Assert.Empty(await ToListAsync(reader.ListRecordsAsync(customer, "2026-10", CancellationToken.None)));
    }

    [Fact]
    public async Task ListRecordsAsync_MoreThanOnePage_ReturnsEveryRecord()
    {
        string customer = "cust-" + Guid.NewGuid().ToString("N")[..12];
        var recorder = new UsageRecorder(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, _time, TextWriter.Null);
        // Large enough items that 1 MB query pages split them.
        string longModel = new('m', 2000);
        for (int i = 0; i < 700; i++)
        {
            await recorder.RecordAsync(Sample(customer, _time.Now.AddSeconds(i)) with { ModelId = longModel }, CancellationToken.None);
        }

        var reader = new UsageReportReader(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable);
        dynamo.Calls.Reset();
        List<UsageRecord> all = await ToListAsync(reader.ListRecordsAsync(customer, "2026-11", CancellationToken.None));

        Assert.Equal(700, all.Count);
        Assert.True(dynamo.Calls.Snapshot().Count(op => op == "Query") > 1);
    }

    internal static UsageRecord Sample(string customer, DateTimeOffset at) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CustomerId = customer,
        KeyId = "key-7",
        ModelId = "anthropic.claude-3-haiku-20240307-v1:0",
        Surface = "converse",
        Streamed = false,
        HttpStatus = 200,
        Tokens = new TokenUsage(100, 50),
        LatencyMs = 842.125,
        Timestamp = at,
    };

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }
        return list;
    }
}
