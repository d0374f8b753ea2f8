using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary><c>usage report</c> over records and aggregates written in the usage store's own item layout.</summary>
public sealed class UsageReportCliTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private readonly AdminCliRunner _cli = new(dynamo);

    [Fact]
    public async Task UsageReport_TwoModelsOneError_TotalsAndPerModelSums()
    {
        string customerId = "cus_" + Guid.NewGuid().ToString("N")[..12];
        await _cli.RunAsync("customers", "create", "--name", "Billing", "--id", customerId);
        var start = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        await WriteAsync(Record(customerId, "r1", "model-a", start, new TokenUsage(100, 20)));
        await WriteAsync(Record(customerId, "r2", "model-a", start.AddMinutes(1), new TokenUsage(50, 5, 7, 3))
            with { BedrockRequestId = "b-1", BedrockRequestIds = ["b-1", "b-2"], BedrockCalls = 2 });
        await WriteAsync(Record(customerId, "r3", "model-b,\"odd\"", start.AddMinutes(2), new TokenUsage(10, 0)) with { HttpStatus = 500, ErrorType = "ModelStreamErrorException" });
        await WriteAsync(Record(customerId, "r4", "model-a", start.AddMonths(1), new TokenUsage(999, 999)));

        CliResult table = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-03");
        CliResult json = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-03", "--format", "json");
        CliResult csv = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-03", "--format", "csv");
        CliResult records = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-03", "--records", "--format", "json");
        CliResult empty = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-01");

        Assert.Equal(ExitCodes.Success, table.Exit);
        Assert.Contains("requests:             3 (1 with errors)", table.Output, StringComparison.Ordinal);
        Assert.Contains("input tokens:         160", table.Output, StringComparison.Ordinal);
        Assert.Contains("total (in + out):     185", table.Output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(json.Output);
        JsonElement totals = doc.RootElement.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("requests").GetInt64());
        Assert.Equal(1, totals.GetProperty("errors").GetInt64());
        Assert.Equal(25, totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(7, totals.GetProperty("cacheReadInputTokens").GetInt64());
        JsonElement modelA = doc.RootElement.GetProperty("byModel").EnumerateArray().Single(m => m.GetProperty("modelId").GetString() == "model-a");
        Assert.Equal(2, modelA.GetProperty("requests").GetInt64());
        Assert.Equal(150, modelA.GetProperty("inputTokens").GetInt64());
        using JsonDocument withRecords = JsonDocument.Parse(records.Output);
        JsonElement first = withRecords.RootElement.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("requestId").GetString() == "r1");
        Assert.Equal(100, first.GetProperty("inputTokens").GetInt64());
        Assert.False(first.GetProperty("streamed").GetBoolean());
        Assert.Equal(200, first.GetProperty("httpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("errorType").ValueKind);
        Assert.False(first.TryGetProperty("bedrockRequestIds", out _));
        JsonElement severalCalls = withRecords.RootElement.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("requestId").GetString() == "r2");
        Assert.Equal(["b-1", "b-2"], severalCalls.GetProperty("bedrockRequestIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(2, severalCalls.GetProperty("bedrockCalls").GetInt32());
        string[] lines = csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("timestamp,requestId,keyId,modelId,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-03-10T12:00:00.000Z,r1,bk_AAAAAAAA,model-a,converse,false,200,,100,20,0,0,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"model-b,\"\"odd\"\"\",", lines[3], StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, empty.Exit);
        Assert.Contains($"No usage recorded for {customerId} in 2026-01.", empty.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageReportAndExport_PricedAndUnpriced_CostColumnsUnpricedNeverZero()
    {
        string customerId = "cus_" + Guid.NewGuid().ToString("N")[..12];
        await _cli.RunAsync("customers", "create", "--name", "Cost, Inc.", "--id", customerId);
        var at = new DateTimeOffset(2026, 5, 10, 12, 0, 0, TimeSpan.Zero);
        await WriteAsync(Record(customerId, "c1", "model-a", at, new TokenUsage(100, 20)) with { CostMicroUsd = 12_600, PriceVersion = "v1" });
        await WriteAsync(Record(customerId, "c2", "model-a", at.AddMinutes(1), new TokenUsage(10, 2)) with { CostMicroUsd = 1_400, PriceVersion = "v1", Estimated = true });
        await WriteAsync(Record(customerId, "c3", "model-free", at.AddMinutes(2), new TokenUsage(50, 5)));
        await WriteAsync(Record(customerId, "c4", "model-a", at.AddMinutes(3), new TokenUsage(1, 1)) with { KeyId = "bk_BBBBBBBB", CostMicroUsd = 7, PriceVersion = "v1" });

        CliResult table = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-05");
        CliResult json = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-05", "--format", "json");
        CliResult csv = await _cli.RunAsync("usage", "report", customerId, "--month", "2026-05", "--format", "csv");
        CliResult export = await _cli.RunAsync("usage", "export", "--month", "2026-05");

        // 12,600 + 1,400 + 7 µ$ = $0.014007; the unpriced request is counted apart, not as $0.
        Assert.Contains("cost:                 $0.014007", table.Output, StringComparison.Ordinal);
        Assert.Contains("unpriced requests:    1", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"model-free\s.*unpriced", table.Output);
        using JsonDocument doc = JsonDocument.Parse(json.Output);
        Assert.Equal(0.014007m, doc.RootElement.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("unpricedRequests").GetInt64());
        JsonElement[] models = [.. doc.RootElement.GetProperty("byModel").EnumerateArray()];
        Assert.Equal(0.014007m, models.Single(m => m.GetProperty("modelId").GetString() == "model-a").GetProperty("costUsd").GetDecimal());
        JsonElement free = models.Single(m => m.GetProperty("modelId").GetString() == "model-free");
        Assert.Equal(JsonValueKind.Null, free.GetProperty("costUsd").ValueKind);
        Assert.Equal(1, free.GetProperty("unpricedRequests").GetInt64());
        string[] csvLines = csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",costMicroUsd,costUsd,priceVersion,unpriced", csvLines[0], StringComparison.Ordinal);
        Assert.EndsWith(",12600,0.012600,v1,false", csvLines.Single(l => l.Contains(",c1,", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith(",,,,true", csvLines.Single(l => l.Contains(",c3,", StringComparison.Ordinal)), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, export.Exit);
        string[] exportLines = export.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,customerId,customerName,keyId,modelId,requests,errors,inputTokens,outputTokens,cacheReadInputTokens,cacheWriteInputTokens,costMicroUsd,costUsd,estimatedRequests,unpricedRequests", exportLines[0]);
        string[] mine = [.. exportLines.Where(l => l.Contains(customerId, StringComparison.Ordinal))];
        Assert.Equal(
            [
                $"2026-05,{customerId},\"Cost, Inc.\",bk_AAAAAAAA,model-a,2,0,110,22,0,0,14000,0.014000,1,0",
                $"2026-05,{customerId},\"Cost, Inc.\",bk_AAAAAAAA,model-free,1,0,50,5,0,0,,,0,1",
                $"2026-05,{customerId},\"Cost, Inc.\",bk_BBBBBBBB,model-a,1,0,1,1,0,0,7,0.000007,0,0",
            ],
            mine);
    }

    [Fact]
    public async Task UsageExport_BadMonth_UsageError()
    {
        CliResult result = await _cli.RunAsync("usage", "export", "--month", "May");

        Assert.Equal(ExitCodes.Usage, result.Exit);
    }

    [Fact]
    public async Task UsageReport_UnknownCustomer_Fails()
    {
        CliResult result = await _cli.RunAsync("usage", "report", "cus_nobody_here", "--month", "2026-03");

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    private static UsageRecord Record(string customerId, string requestId, string model, DateTimeOffset at, TokenUsage tokens) => new()
    {
        RequestId = requestId,
        CustomerId = customerId,
        KeyId = "bk_AAAAAAAA",
        ModelId = model,
        Surface = "converse",
        Streamed = false,
        HttpStatus = 200,
        Tokens = tokens,
        LatencyMs = 12.5,
        Timestamp = at,
    };

    /// <summary>The usage record and the monthly aggregate, exactly as the usage store writes them.</summary>
    private async Task WriteAsync(UsageRecord record)
    {
        await dynamo.Client.PutItemAsync(new PutItemRequest { TableName = dynamo.Tables.Usage, Item = UsageItem.ToItem(record) });
        await dynamo.Client.UpdateItemAsync(AggregateWrite.Build(dynamo.Tables.RateLimits, record, null, record.Timestamp));
    }
}
