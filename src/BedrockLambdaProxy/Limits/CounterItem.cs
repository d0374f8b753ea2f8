using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Layout of the one per-customer item in the rate-limits table (pk <c>cust#&lt;customerId&gt;</c>).
/// </summary>
/// <remarks>
/// The item carries everything admission checks and everything the end of a request adds, so that
/// a request costs at most three writes (admission, usage record, settlement + monthly aggregate):
/// <list type="bullet">
/// <item><c>win</c> minute index (Unix seconds / 60); <c>rc</c>/<c>tc</c> requests/tokens charged in it;
/// <c>rp</c>/<c>tp</c> the same for minute <c>win - 1</c>, frozen when the window rolled.</item>
/// <item><c>day</c> day index (Unix seconds / 86400, UTC) and <c>dt</c> its tokens.</item>
/// <item><c>mon</c> the month (yyyy-MM, UTC) and <c>mt</c> its tokens, for the monthly quota; <c>mc</c> its cost in
/// micro-dollars (reservations plus settled corrections), for the dollar budget. <c>mc</c> is separate from the
/// billing total <c>u#yyyy-MM#costMicroUsd</c> because it holds reservations.</item>
/// <item><c>u#yyyy-MM#requests|inputTokens|outputTokens|cacheReadInputTokens|cacheWriteInputTokens|errors</c>:
/// the billing aggregate of each month (only ever ADDed to).</item>
/// <item><c>expiresAt</c>: a year and a month after the last write, so an abandoned customer's item is
/// cleaned up by TTL; usage records themselves never expire.</item>
/// </list>
/// Token counters hold reservations plus settled corrections, so they may briefly exceed actual usage.
/// </remarks>
internal static class CounterItem
{
    public const string Window = "win";
    public const string RequestsCurrent = "rc";
    public const string RequestsPrevious = "rp";
    public const string TokensCurrent = "tc";
    public const string TokensPrevious = "tp";
    public const string Day = "day";
    public const string DayTokens = "dt";
    public const string Month = "mon";
    public const string MonthTokens = "mt";
    public const string MonthCost = "mc";
    public const string ExpiresAt = "expiresAt";

    /// <summary>How long the item outlives its last write (TTL clean-up; keeps a year of aggregates).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public static string PartitionKey(string customerId) => "cust#" + customerId;

    public static Dictionary<string, AttributeValue> Key(string customerId) => ItemKey(PartitionKey(customerId));

    /// <summary>The key of the counter item with this partition key (a customer's, or an API key's <c>key#&lt;keyId&gt;</c>).</summary>
    public static Dictionary<string, AttributeValue> ItemKey(string partitionKey) =>
        new() { ["pk"] = new AttributeValue { S = partitionKey } };

    /// <summary>Name of a monthly aggregate attribute, e.g. <c>u#2026-11#inputTokens</c>.</summary>
    public static string Aggregate(string month, string field) => "u#" + month + "#" + field;

    public static string MonthOf(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    public static long DayOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 86_400;

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static long ReadNumber(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out AttributeValue? value) && value.N is { } n
            ? long.Parse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : 0;

    public static long? ReadOptionalNumber(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out AttributeValue? value) && value.N is not null
            ? ReadNumber(item, name)
            : null;
}
