using System.Globalization;
using System.Text.Json;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// One customer's month as <c>GET /v1/usage</c> answers it: totals and breakdowns by model, key and
/// UTC day, built from the month's usage records (docs/USAGE-API.md).
/// </summary>
internal sealed class UsageSummary(string customerId, string month)
{
    private readonly SortedDictionary<string, UsageTally> _byModel = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, UsageTally> _byKey = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, UsageTally> _byDay = new(StringComparer.Ordinal);

    public string CustomerId { get; } = customerId;
    public string Month { get; } = month;
    public UsageTally Totals { get; private set; } = new();
    public long RecordsRead { get; private set; }
    /// <summary>The month had more records than one answer reads: totals come from the month's aggregate, breakdowns cover the first <see cref="RecordsRead"/>.</summary>
    public bool Truncated { get; private set; }

    public void Add(UsageRecord record)
    {
        RecordsRead++;
        Totals.Add(record);
        Tally(_byModel, record.ModelId).Add(record);
        Tally(_byKey, record.KeyId).Add(record);
        Tally(_byDay, record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Add(record);
    }

    /// <summary>
    /// Marks the answer partial and takes the totals from the month's aggregate, which counts every
    /// request; an unpriced request seen in the records keeps the total cost unknown.
    /// </summary>
    public void Truncate(MonthlyUsage? aggregate)
    {
        Truncated = true;
        if (aggregate is not null)
        {
            long unpricedSeen = Totals.UnpricedRequests;
            Totals = UsageTally.FromMonth(aggregate);
            Totals.AtLeastUnpriced(unpricedSeen);
        }
    }

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("object", "usage");
        json.WriteString("customerId", CustomerId);
        json.WriteString("month", Month);
        json.WriteBoolean("truncated", Truncated);
        json.WriteNumber("recordsRead", RecordsRead);
        json.WritePropertyName("totals");
        WriteTally(json, null, null, Totals);
        WriteBreakdown(json, "byModel", "modelId", _byModel);
        WriteBreakdown(json, "byKey", "keyId", _byKey);
        WriteBreakdown(json, "byDay", "date", _byDay);
        json.WriteEndObject();
    }

    private static UsageTally Tally(SortedDictionary<string, UsageTally> tallies, string name)
    {
        if (!tallies.TryGetValue(name, out UsageTally? tally))
        {
            tally = new UsageTally();
            tallies.Add(name, tally);
        }
        return tally;
    }

    private static void WriteBreakdown(Utf8JsonWriter json, string property, string nameField, SortedDictionary<string, UsageTally> tallies)
    {
        json.WriteStartArray(property);
        foreach ((string name, UsageTally tally) in tallies)
        {
            WriteTally(json, nameField, name, tally);
        }
        json.WriteEndArray();
    }

    private static void WriteTally(Utf8JsonWriter json, string? nameField, string? name, UsageTally tally)
    {
        json.WriteStartObject();
        if (nameField is not null)
        {
            json.WriteString(nameField, name);
        }
        json.WriteNumber("requests", tally.Requests);
        json.WriteNumber("inputTokens", tally.InputTokens);
        json.WriteNumber("outputTokens", tally.OutputTokens);
        json.WriteNumber("cacheReadInputTokens", tally.CacheReadInputTokens);
        json.WriteNumber("cacheWriteInputTokens", tally.CacheWriteInputTokens);
        json.WriteNumber("errors", tally.Errors);
        json.WriteNumber("estimatedRequests", tally.EstimatedRequests);
        json.WriteNumber("unpricedRequests", tally.UnpricedRequests);
        // Dollars as an exact decimal (micro-dollars / 10^6): no binary rounding on the way out.
        if (tally.CostMicroUsd is long cost)
        {
            json.WriteNumber("costUsd", Dollars(cost));
        }
        else
        {
            json.WriteNull("costUsd");
        }
        json.WriteNumber("pricedCostUsd", Dollars(tally.PricedCostMicroUsd));
        json.WriteEndObject();
    }

    private static decimal Dollars(long microUsd) => microUsd / 1_000_000m;
}
