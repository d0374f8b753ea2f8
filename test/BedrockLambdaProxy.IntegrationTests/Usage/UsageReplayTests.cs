using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Limits;
using BedrockLambdaProxy.Usage;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Usage;

/// <summary>A usage write that fails becomes exactly one replayable log line, and replaying it counts it once.</summary>
public sealed class UsageReplayTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RecordAsync_UsageTableMissing_OneLogLineThatReplaysOnce()
    {
        string customer = "cust-" + Guid.NewGuid().ToString("N")[..12];
        var log = new StringWriter();
        var failing = new UsageRecorder(dynamo.CreateClient(), "no-such-table", dynamo.RateLimitsTable, _time, log);
        UsageRecord record = UsageRecorderTests.Sample(customer, _time.Now) with { TimeToFirstTokenMs = 12.5, Tokens = new TokenUsage(3, 4, 5, 6) };

        await failing.RecordAsync(record, CancellationToken.None);

        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        using (JsonDocument json = JsonDocument.Parse(line))
        {
            Assert.Equal("error", json.RootElement.GetProperty("level").GetString());
            Assert.Equal("usage_record_unwritten", json.RootElement.GetProperty("event_type").GetString());
            Assert.Equal("record", json.RootElement.GetProperty("pending").GetString());
            Assert.Contains("ResourceNotFound", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(record.RequestId, json.RootElement.GetProperty("record").GetProperty("requestId").GetString());
        }
        var reader = new UsageReportReader(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable);
        Assert.Null(await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));

        var replay = new UsageReplay(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, _time);
        // An operator pipes the whole log: other lines are skipped.
        int written = await replay.ReplayAllAsync(new StringReader("{\"level\":\"info\",\"msg\":\"hello\"}\n" + line + "\n"), CancellationToken.None);
        UsageReplay.Outcome again = await replay.ReplayLineAsync(line, CancellationToken.None);

        Assert.Equal(1, written);
        Assert.Equal(UsageReplay.Outcome.AlreadyApplied, again);
        Assert.Equal([record], await UsageRecorderTests.ToListAsync(reader.ListRecordsAsync(customer, "2026-11", CancellationToken.None)));
        Assert.Equal(new MonthlyUsage(customer, "2026-11", 1, 3, 4, 5, 6, 0, UnpricedRequests: 1), await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_AggregateWriteFails_LineSaysAggregatePendingAndReplayAddsItOnce()
    {
        string customer = "cust-" + Guid.NewGuid().ToString("N")[..12];
        var log = new StringWriter();
        var failing = new UsageRecorder(dynamo.CreateClient(), dynamo.UsageTable, "no-such-table", _time, log);
        UsageRecord record = UsageRecorderTests.Sample(customer, _time.Now) with { HttpStatus = 502, ErrorType = "ModelStreamErrorException" };

        await failing.RecordAsync(record, CancellationToken.None);

        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(UnwrittenUsageLine.PendingAggregate, UsageReplay.Parse(line)!.Pending);
        var reader = new UsageReportReader(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable);
        Assert.Equal([record], await UsageRecorderTests.ToListAsync(reader.ListRecordsAsync(customer, "2026-11", CancellationToken.None)));
        Assert.Null(await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));

        var replay = new UsageReplay(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, _time);
        Assert.Equal(UsageReplay.Outcome.Written, await replay.ReplayLineAsync(line, CancellationToken.None));
        Assert.Equal(UsageReplay.Outcome.AlreadyApplied, await replay.ReplayLineAsync(line, CancellationToken.None));

        Assert.Equal(new MonthlyUsage(customer, "2026-11", 1, 100, 50, 0, 0, 1, UnpricedRequests: 1), await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task ReplayLineAsync_ClaimedByAReplayThatNeverConfirmed_UnconfirmedNotAlreadyApplied()
    {
        string customer = "cust-" + Guid.NewGuid().ToString("N")[..12];
        var log = new StringWriter();
        UsageRecord record = UsageRecorderTests.Sample(customer, _time.Now);
        await new UsageRecorder(dynamo.CreateClient(), "no-such-table", dynamo.RateLimitsTable, _time, log).RecordAsync(record, CancellationToken.None);
        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // An earlier replay stored and claimed the record, then failed to add the aggregate and to give the claim back.
        var client = dynamo.CreateClient();
        await client.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
        {
            TableName = dynamo.UsageTable,
            Item = new(UsageItem.ToItem(record)) { [UsageItem.Replayed] = new Amazon.DynamoDBv2.Model.AttributeValue { S = "2026-11-24T16:00:01Z" } },
        });

        var replay = new UsageReplay(client, dynamo.UsageTable, dynamo.RateLimitsTable, _time);
        UsageReplay.Outcome outcome = await replay.ReplayLineAsync(line, CancellationToken.None);

        Assert.Equal(UsageReplay.Outcome.Unconfirmed, outcome);
        var reader = new UsageReportReader(client, dynamo.UsageTable, dynamo.RateLimitsTable);
        Assert.Null(await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_DynamoStopped_OneLogLineAndNoHang()
    {
        await using var stopped = new StoppedDynalite();
        await stopped.Dynamo.InitializeAsync();
        var log = new StringWriter();
        var recorder = new UsageRecorder(stopped.Dynamo.CreateClient(maxErrorRetry: 0), stopped.Dynamo.UsageTable, stopped.Dynamo.RateLimitsTable, _time, log);
        await stopped.Dynamo.StopAsync();
        UsageRecord record = UsageRecorderTests.Sample("cust-stopped", _time.Now);

        await recorder.RecordAsync(record, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        UnwrittenUsageLine parsed = UsageReplay.Parse(line)!;
        Assert.Equal(UnwrittenUsageLine.PendingRecord, parsed.Pending);
        Assert.Equal(record, parsed.Record);
    }

    /// <summary>A dynalite of its own, so stopping it does not disturb the other tests.</summary>
    private sealed class StoppedDynalite : IAsyncDisposable
    {
        public LimitsDynalite Dynamo { get; } = new();

        public async ValueTask DisposeAsync() => await Dynamo.DisposeAsync();
    }
}
