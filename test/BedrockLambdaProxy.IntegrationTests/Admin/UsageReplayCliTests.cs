using System.Text.Json;
using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.IntegrationTests.Usage;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary>
/// <c>usage replay FILE</c> over lines the real <see cref="UsageRecorder"/> logged when it could not
/// write, in each shape an operator exports them from CloudWatch Logs: each record written once
/// and added to the month once, however often and in whichever shape it is replayed.
/// </summary>
public sealed class UsageReplayCliTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>, IDisposable
{
    private readonly AdminCliRunner _cli = new(dynamo);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("usage-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task UsageReplay_PlainPrefixedAndAwsCliExports_EachRecordWrittenAndCountedOnce()
    {
        string customer = "cus_" + Guid.NewGuid().ToString("N")[..12];
        UsageRecord recordMissing = UsageRecorderTests.Sample(customer, _time.Now);
        UsageRecord aggregateMissing = UsageRecorderTests.Sample(customer, _time.Now.AddMinutes(1)) with { Tokens = new TokenUsage(7, 3, 2, 1) };
        UsageRecord onlyInJson = UsageRecorderTests.Sample(customer, _time.Now.AddMinutes(2));
        string lineRecord = await UnwrittenLineAsync(recordMissing, usageTable: "no-such-table", dynamo.Tables.RateLimits);
        string lineAggregate = await UnwrittenLineAsync(aggregateMissing, dynamo.Tables.Usage, rateLimitsTable: "no-such-table");
        string lineJsonOnly = await UnwrittenLineAsync(onlyInJson, usageTable: "no-such-table", dynamo.Tables.RateLimits);

        // A download of the log group: Lambda's own lines, the function's other JSON lines, and the
        // unwritten lines plain and with the timestamp / request-id prefix other exports add.
        string plain = Write("export.log",
            "START RequestId: 5f1c Version: $LATEST\n"
            + """{"level":"info","message":"request metrics","request_id":"5f1c"}""" + "\n"
            + lineRecord + "\n"
            + "2026-11-24T16:01:00.123Z\t7d2e\tERROR\t" + lineAggregate + "\r\n"
            + "END RequestId: 5f1c\n");
        // aws logs filter-log-events --filter-pattern '{ $.event_type = "usage_record_unwritten" }'
        string cli = Write("filter-log-events.json", JsonSerializer.Serialize(new
        {
            events = new object[]
            {
                new { logStreamName = "2026/11/24/[$LATEST]abc", timestamp = 1795996800000, message = lineRecord + "\n", ingestionTime = 1795996800100, eventId = "1" },
                new { logStreamName = "2026/11/24/[$LATEST]abc", timestamp = 1795996860000, message = lineAggregate + "\n", ingestionTime = 1795996860100, eventId = "2" },
                new { logStreamName = "2026/11/24/[$LATEST]def", timestamp = 1795996920000, message = lineJsonOnly + "\n", ingestionTime = 1795996920100, eventId = "3" },
            },
            searchedLogStreams = Array.Empty<object>(),
        }, new JsonSerializerOptions { WriteIndented = true }));

        CliResult first = await _cli.RunAsync("usage", "replay", plain);
        CliResult second = await _cli.RunAsync("usage", "replay", plain);
        CliResult fromCli = await _cli.RunAsync("usage", "replay", cli);
        CliResult fromCliAgain = await _cli.RunAsync("usage", "replay", cli);

        Assert.Equal(ExitCodes.Success, first.Exit);
        Assert.Contains("Lines read: 5; written: 2; already applied: 0; skipped (not unwritten usage): 3; failed: 0.", first.Output, StringComparison.Ordinal);
        Assert.Contains("Lines read: 5; written: 0; already applied: 2; skipped (not unwritten usage): 3; failed: 0.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Lines read: 3; written: 1; already applied: 2; skipped (not unwritten usage): 0; failed: 0.", fromCli.Output, StringComparison.Ordinal);
        Assert.Contains("Lines read: 3; written: 0; already applied: 3; skipped (not unwritten usage): 0; failed: 0.", fromCliAgain.Output, StringComparison.Ordinal);
        var reader = new UsageReportReader(dynamo.Client, dynamo.Tables.Usage, dynamo.Tables.RateLimits);
        List<UsageRecord> stored = await UsageRecorderTests.ToListAsync(reader.ListRecordsAsync(customer, "2026-11", CancellationToken.None));
        Assert.Equal(
            new[] { recordMissing, aggregateMissing, onlyInJson }.OrderBy(r => r.Timestamp),
            stored.OrderBy(r => r.Timestamp));
        // Three requests, each added to the month once: 100 + 7 + 100 in, 50 + 3 + 50 out.
        Assert.Equal(new MonthlyUsage(customer, "2026-11", 3, 207, 103, 2, 1, 0, UnpricedRequests: 3), await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task UsageReplay_TruncatedUnwrittenLine_NamedCountedAsFailedOthersStillWritten()
    {
        string customer = "cus_" + Guid.NewGuid().ToString("N")[..12];
        UsageRecord record = UsageRecorderTests.Sample(customer, _time.Now);
        string line = await UnwrittenLineAsync(record, usageTable: "no-such-table", dynamo.Tables.RateLimits);
        string file = Write("truncated.log", line[..(line.Length / 2)] + "\n" + line + "\n");

        CliResult result = await _cli.RunAsync("usage", "replay", file);

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Contains("line 1: not replayed (FormatException", result.Output, StringComparison.Ordinal);
        Assert.Contains("Lines read: 2; written: 1; already applied: 0; skipped (not unwritten usage): 0; failed: 1.", result.Output, StringComparison.Ordinal);
        var reader = new UsageReportReader(dynamo.Client, dynamo.Tables.Usage, dynamo.Tables.RateLimits);
        Assert.Equal(1, (await reader.GetMonthAsync(customer, "2026-11", CancellationToken.None))!.Requests);
    }

    [Fact]
    public async Task UsageReplay_MissingFile_UsageErrorNamingIt()
    {
        string missing = Path.Combine(_directory, "nope.log");

        CliResult result = await _cli.RunAsync("usage", "replay", missing);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("cannot read " + missing, result.Error, StringComparison.Ordinal);
    }

    /// <summary>The line the real recorder logs when one of its tables cannot be written.</summary>
    private async Task<string> UnwrittenLineAsync(UsageRecord record, string usageTable, string rateLimitsTable)
    {
        var log = new StringWriter();
        await new UsageRecorder(dynamo.Client, usageTable, rateLimitsTable, _time, log).RecordAsync(record, CancellationToken.None);
        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(UnwrittenUsageLine.EventTypeValue, line, StringComparison.Ordinal);
        return line;
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
