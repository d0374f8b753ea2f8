using System.Globalization;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// How a <see cref="UsageRecord"/> is stored in the usage table, and the monthly aggregate fields.
/// </summary>
/// <remarks>
/// Usage table: pk <c>cust#&lt;customerId&gt;#&lt;yyyy-MM&gt;</c> (UTC month of the request),
/// sk <c>rec#&lt;UTC time, yyyy-MM-ddTHH:mm:ss.fffffffZ&gt;#&lt;requestId&gt;</c>, so one Query lists a
/// customer's month in time order and the request id makes the key unique (and replays idempotent).
/// The month's aggregate is not in this table: it lives on the customer's counter item in the
/// rate-limits table (<see cref="CounterItem"/>), so settling a request's tokens and adding it to the
/// aggregate is one write.
/// </remarks>
internal static class UsageItem
{
    public const string RecordPrefix = "rec#";
    public const string Replayed = "replayedAt";

    /// <summary>Aggregate fields, each stored as <c>u#yyyy-MM#field</c> on the counter item.</summary>
    public const string Requests = "requests";
    public const string InputTokens = "inputTokens";
    public const string OutputTokens = "outputTokens";
    public const string CacheReadInputTokens = "cacheReadInputTokens";
    public const string CacheWriteInputTokens = "cacheWriteInputTokens";
    public const string Errors = "errors";
    /// <summary>Aggregate field: requests billed an estimate (<see cref="Estimated"/>) rather than Bedrock's counts.</summary>
    public const string EstimatedRequests = "estimatedRequests";
    /// <summary>Aggregate field: the month's cost in micro-dollars (priced records only).</summary>
    public const string CostMicroUsd = "costMicroUsd";
    /// <summary>Aggregate field: requests with tokens but no price, whose cost is unknown (not 0).</summary>
    public const string UnpricedRequests = "unpricedRequests";

    /// <summary>Record attributes: the region that answered and the attempts it took.</summary>
    public const string BedrockRegion = "bedrockRegion";
    public const string BedrockAttempts = "bedrockAttempts";
    /// <summary>Record attribute (BOOL, present only when true): the tokens are the proxy's estimate, not Bedrock's counts.</summary>
    public const string Estimated = "estimated";
    /// <summary>Record attribute (S): Bedrock's x-amzn-RequestId for the call, when it answered.</summary>
    public const string BedrockRequestId = "bedrockRequestId";
    /// <summary>Record attribute (L of S), several-call requests only: every served call's x-amzn-RequestId.</summary>
    public const string BedrockRequestIds = "bedrockRequestIds";
    /// <summary>Record attribute (N), several-call requests only: the Bedrock calls served, whose counts the tokens sum.</summary>
    public const string BedrockCalls = "bedrockCalls";
    /// <summary>Record attribute (S): the price row's version that <see cref="CostMicroUsd"/> used.</summary>
    public const string PriceVersion = "priceVersion";

    public static string PartitionKey(string customerId, string month) => "cust#" + customerId + "#" + month;

    public static string SortKey(UsageRecord record) =>
        RecordPrefix + record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)
        + "#" + record.RequestId;

    public static Dictionary<string, AttributeValue> Key(UsageRecord record) => new()
    {
        ["pk"] = new AttributeValue { S = PartitionKey(record.CustomerId, CounterItem.MonthOf(record.Timestamp)) },
        ["sk"] = new AttributeValue { S = SortKey(record) },
    };

    public static bool IsError(UsageRecord record) => record.HttpStatus >= 400 || record.ErrorType is not null;

    public static Dictionary<string, AttributeValue> ToItem(UsageRecord record)
    {
        Dictionary<string, AttributeValue> item = Key(record);
        item["requestId"] = Text(record.RequestId);
        item["customerId"] = Text(record.CustomerId);
        item["keyId"] = Text(record.KeyId);
        item["modelId"] = Text(record.ModelId);
        item["surface"] = Text(record.Surface);
        item["streamed"] = new AttributeValue { BOOL = record.Streamed };
        item["httpStatus"] = CounterItem.Number(record.HttpStatus);
        if (record.ErrorType is not null)
        {
            item["errorType"] = Text(record.ErrorType);
        }
        if (record.Tokens is { } tokens)
        {
            item[InputTokens] = CounterItem.Number(tokens.InputTokens);
            item[OutputTokens] = CounterItem.Number(tokens.OutputTokens);
            item[CacheReadInputTokens] = CounterItem.Number(tokens.CacheReadInputTokens);
            item[CacheWriteInputTokens] = CounterItem.Number(tokens.CacheWriteInputTokens);
        }
        item["latencyMs"] = Real(record.LatencyMs);
        if (record.TimeToFirstTokenMs is double ttft)
        {
            item["timeToFirstTokenMs"] = Real(ttft);
        }
        item["timestamp"] = Text(record.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (record.BedrockRegion is not null)
        {
            item[BedrockRegion] = Text(record.BedrockRegion);
        }
        if (record.BedrockAttempts is int attempts)
        {
            item[BedrockAttempts] = CounterItem.Number(attempts);
        }
        if (record.Estimated)
        {
            item[Estimated] = new AttributeValue { BOOL = true };
        }
        if (record.BedrockRequestId is not null)
        {
            item[BedrockRequestId] = Text(record.BedrockRequestId);
        }
        if (record.BedrockRequestIds is { Count: > 0 } ids)
        {
            item[BedrockRequestIds] = new AttributeValue { L = [.. ids.Select(Text)] };
        }
        if (record.BedrockCalls is int calls)
        {
            item[BedrockCalls] = CounterItem.Number(calls);
        }
        if (record.CostMicroUsd is long cost)
        {
            item[CostMicroUsd] = CounterItem.Number(cost);
        }
        if (record.PriceVersion is not null)
        {
            item[PriceVersion] = Text(record.PriceVersion);
        }
        return item;
    }

    public static UsageRecord FromItem(Dictionary<string, AttributeValue> item)
    {
        return new UsageRecord
        {
            RequestId = item["requestId"].S,
            CustomerId = item["customerId"].S,
            KeyId = item["keyId"].S,
            ModelId = item["modelId"].S,
            Surface = item["surface"].S,
            Streamed = item["streamed"].BOOL ?? false,
            HttpStatus = (int)CounterItem.ReadNumber(item, "httpStatus"),
            ErrorType = item.TryGetValue("errorType", out AttributeValue? error) ? error.S : null,
            Tokens = item.ContainsKey(InputTokens)
                ? new TokenUsage(
                    CounterItem.ReadNumber(item, InputTokens),
                    CounterItem.ReadNumber(item, OutputTokens),
                    CounterItem.ReadNumber(item, CacheReadInputTokens),
                    CounterItem.ReadNumber(item, CacheWriteInputTokens))
                : null,
            LatencyMs = ReadReal(item["latencyMs"]),
            TimeToFirstTokenMs = item.TryGetValue("timeToFirstTokenMs", out AttributeValue? ttft) ? ReadReal(ttft) : null,
            Timestamp = DateTimeOffset.Parse(item["timestamp"].S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            // Added later (regional failover): records written before have neither attribute.
            BedrockRegion = item.TryGetValue(BedrockRegion, out AttributeValue? region) ? region.S : null,
            BedrockAttempts = item.ContainsKey(BedrockAttempts) ? (int)CounterItem.ReadNumber(item, BedrockAttempts) : null,
            Estimated = item.TryGetValue(Estimated, out AttributeValue? estimated) && estimated.BOOL == true,
            BedrockRequestId = item.TryGetValue(BedrockRequestId, out AttributeValue? bedrockId) ? bedrockId.S : null,
            BedrockRequestIds = item.TryGetValue(BedrockRequestIds, out AttributeValue? bedrockIds) ? [.. bedrockIds.L.Select(id => id.S)] : null,
            BedrockCalls = item.ContainsKey(BedrockCalls) ? (int)CounterItem.ReadNumber(item, BedrockCalls) : null,
            CostMicroUsd = item.ContainsKey(CostMicroUsd) ? CounterItem.ReadNumber(item, CostMicroUsd) : null,
            PriceVersion = item.TryGetValue(PriceVersion, out AttributeValue? version) ? version.S : null,
        };
    }

    private static AttributeValue Text(string value) => new() { S = value };

    private static AttributeValue Real(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    private static double ReadReal(AttributeValue value) => double.Parse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture);
}
