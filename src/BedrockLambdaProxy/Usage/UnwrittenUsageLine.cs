using System.Text.Json.Serialization;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// The log line written when a usage record could not be stored after retries, so that an
/// operator can replay it with <see cref="UsageReplay"/>:
/// <c>{"level":"error","event_type":"usage_record_unwritten","pending":"record",…,"record":{…}}</c>.
/// </summary>
internal sealed class UnwrittenUsageLine
{
    public const string EventTypeValue = "usage_record_unwritten";
    /// <summary>Neither the record nor its aggregate was written.</summary>
    public const string PendingRecord = "record";
    /// <summary>The record was written; its addition to the monthly aggregate was not.</summary>
    public const string PendingAggregate = "aggregate";

    [JsonPropertyName("level")]
    public string Level { get; init; } = "error";

    [JsonPropertyName("event_type")]
    public string EventType { get; init; } = EventTypeValue;

    [JsonPropertyName("pending")]
    public required string Pending { get; init; }

    /// <summary>The last failure, type and message (DynamoDB messages carry no secrets).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("record")]
    public required UsageRecord Record { get; init; }
}
