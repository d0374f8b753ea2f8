using System.Text.Json;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Usage;

public sealed class UnwrittenUsageLineTests
{
    private static readonly UsageRecord Record = new()
    {
        RequestId = "req-1",
        CustomerId = "cust-1",
        KeyId = "key-1",
        ModelId = "model-a",
        Surface = "openai",
        Streamed = true,
        HttpStatus = 200,
        Tokens = new TokenUsage(1, 2, 3, 4),
        LatencyMs = 10.5,
        TimeToFirstTokenMs = 2.25,
        Timestamp = new DateTimeOffset(2026, 11, 24, 1, 2, 3, TimeSpan.Zero),
    };

    [Fact]
    public void Serialize_Line_IsOneLineWithLevelEventTypeAndEveryRecordField()
    {
        string json = JsonSerializer.Serialize(
            new UnwrittenUsageLine { Pending = UnwrittenUsageLine.PendingRecord, Error = "boom", Record = Record },
            UsageJsonContext.Default.UnwrittenUsageLine);

        Assert.DoesNotContain('\n', json);
        Assert.StartsWith("{\"level\":\"error\",\"event_type\":\"usage_record_unwritten\",\"pending\":\"record\",\"error\":\"boom\",\"record\":{", json, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement record = doc.RootElement.GetProperty("record");
        foreach (string field in new[] { "requestId", "customerId", "keyId", "modelId", "surface", "streamed", "httpStatus", "tokens", "latencyMs", "timeToFirstTokenMs", "timestamp" })
        {
            Assert.True(record.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Parse_LoggedLineWithPrefix_ReturnsTheRecord()
    {
        string json = JsonSerializer.Serialize(
            new UnwrittenUsageLine { Pending = UnwrittenUsageLine.PendingAggregate, Record = Record },
            UsageJsonContext.Default.UnwrittenUsageLine);

        UnwrittenUsageLine? parsed = UsageReplay.Parse("2026-11-24T01:02:04Z\treq-1\t" + json);

        Assert.NotNull(parsed);
        Assert.Equal(UnwrittenUsageLine.PendingAggregate, parsed.Pending);
        Assert.Equal(Record, parsed.Record);
    }

    [Fact]
    public void Parse_SeveralBedrockCalls_KeepsEveryRequestIdAndTheCount()
    {
        UsageRecord embeddings = Record with { Surface = "openai-embeddings", BedrockRequestId = "b-1", BedrockRequestIds = ["b-1", "b-2"], BedrockCalls = 2 };
        string json = JsonSerializer.Serialize(
            new UnwrittenUsageLine { Pending = UnwrittenUsageLine.PendingRecord, Record = embeddings },
            UsageJsonContext.Default.UnwrittenUsageLine);

        UnwrittenUsageLine? parsed = UsageReplay.Parse(json);

        Assert.Equal(["b-1", "b-2"], parsed!.Record.BedrockRequestIds);
        Assert.Equal(2, parsed.Record.BedrockCalls);
    }

    [Fact]
    public void Parse_OtherOrBrokenLines_SkipsOrRefusesLoudly()
    {
        Assert.Null(UsageReplay.Parse("{\"level\":\"info\",\"event_type\":\"request\"}"));
        Assert.Null(UsageReplay.Parse("START RequestId: 1"));
        Assert.Throws<FormatException>(() => UsageReplay.Parse("{\"event_type\":\"usage_record_unwritten\",\"record\":{\"requestId\":"));
    }
}
