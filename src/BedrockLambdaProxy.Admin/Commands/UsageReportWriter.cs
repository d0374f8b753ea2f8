using System.Globalization;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>Prints a <see cref="UsageReport"/> as a readable table, JSON or CSV (one line per request).</summary>
internal static class UsageReportWriter
{
    private static readonly string[] CsvColumns =
    [
        "timestamp", "requestId", "keyId", "modelId", "surface", "streamed", "httpStatus", "errorType",
        "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens", "latencyMs", "timeToFirstTokenMs",
        "bedrockRegion", "estimated", "bedrockRequestId", "costMicroUsd", "costUsd", "priceVersion", "unpriced",
    ];

    public static void WriteTable(TextWriter output, UsageReport report, bool withRecords)
    {
        if (report.Totals is not { } t)
        {
            output.WriteLine($"No usage recorded for {report.CustomerId} in {report.Month}.");
            return;
        }
        output.WriteLine($"Usage of {report.CustomerId} in {report.Month} (UTC)");
        output.WriteLine($"  requests:             {Display.Number(t.Requests)} ({Display.Number(t.Errors)} with errors)");
        if (t.EstimatedRequests > 0)
        {
            // Bedrock's counts never arrived for these (streams cut short): see docs/BILLING.md.
            output.WriteLine($"  estimated requests:   {Display.Number(t.EstimatedRequests)} (tokens estimated, not Bedrock's counts)");
        }
        output.WriteLine($"  input tokens:         {Display.Number(t.InputTokens)}");
        output.WriteLine($"  output tokens:        {Display.Number(t.OutputTokens)}");
        output.WriteLine($"  cache read tokens:    {Display.Number(t.CacheReadInputTokens)}");
        output.WriteLine($"  cache write tokens:   {Display.Number(t.CacheWriteInputTokens)}");
        output.WriteLine($"  total (in + out):     {Display.Number(t.InputTokens + t.OutputTokens)}");
        output.WriteLine($"  cost:                 {Display.Usd(t.CostMicroUsd)} at the prices in force when each request was recorded (docs/COST.md)");
        if (t.UnpricedRequests > 0)
        {
            output.WriteLine($"  unpriced requests:    {Display.Number(t.UnpricedRequests)} (models without a price: not in the cost above)");
        }
        output.WriteLine();
        TextTable.Write(output, ["MODEL", "REQUESTS", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "COST (USD)", "UNPRICED"],
            report.ByModel().Select(m => (IReadOnlyList<string>)
            [
                m.ModelId, Display.Number(m.Requests), Display.Number(m.InputTokens), Display.Number(m.OutputTokens),
                Display.Number(m.CacheReadInputTokens), Display.Number(m.CacheWriteInputTokens),
                m.Cost is long cost ? Display.Usd(cost) : "unpriced", Display.Number(m.UnpricedRequests),
            ]).ToList());
        if (withRecords)
        {
            output.WriteLine();
            TextTable.Write(output, ["TIME", "REQUEST", "KEY ID", "MODEL", "SURFACE", "STATUS", "INPUT", "OUTPUT", "COST (USD)", "REGION"],
                report.Records.Select(r => (IReadOnlyList<string>)
                [
                    Display.Time(r.Timestamp), r.RequestId, r.KeyId, r.ModelId, r.Surface + (r.Streamed ? " (stream)" : ""),
                    r.HttpStatus.ToString(CultureInfo.InvariantCulture) + (r.ErrorType is { } e ? " " + e : ""),
                    Display.Number(r.Tokens?.InputTokens ?? 0) + (r.Estimated ? " (est.)" : ""),
                    Display.Number(r.Tokens?.OutputTokens ?? 0) + (r.Estimated ? " (est.)" : ""),
                    RecordCost(r),
                    r.BedrockRegion ?? "-",
                ]).ToList());
        }
    }

    public static void WriteJson(TextWriter output, UsageReport report, bool withRecords)
    {
        Display.WriteJson(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("customerId", report.CustomerId);
            json.WriteString("month", report.Month);
            if (report.Totals is { } t)
            {
                json.WriteStartObject("totals");
                json.WriteNumber("requests", t.Requests);
                json.WriteNumber("errors", t.Errors);
                json.WriteNumber("estimatedRequests", t.EstimatedRequests);
                json.WriteNumber("inputTokens", t.InputTokens);
                json.WriteNumber("outputTokens", t.OutputTokens);
                json.WriteNumber("cacheReadInputTokens", t.CacheReadInputTokens);
                json.WriteNumber("cacheWriteInputTokens", t.CacheWriteInputTokens);
                json.WriteNumber("costMicroUsd", t.CostMicroUsd);
                json.WriteNumber("costUsd", Display.UsdDecimal(t.CostMicroUsd));
                json.WriteNumber("unpricedRequests", t.UnpricedRequests);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("totals");
            }
            json.WriteStartArray("byModel");
            foreach (ModelUsage m in report.ByModel())
            {
                json.WriteStartObject();
                json.WriteString("modelId", m.ModelId);
                json.WriteNumber("requests", m.Requests);
                json.WriteNumber("inputTokens", m.InputTokens);
                json.WriteNumber("outputTokens", m.OutputTokens);
                json.WriteNumber("cacheReadInputTokens", m.CacheReadInputTokens);
                json.WriteNumber("cacheWriteInputTokens", m.CacheWriteInputTokens);
                WriteCost(json, m.Cost);
                json.WriteNumber("unpricedRequests", m.UnpricedRequests);
                json.WriteNumber("estimatedRequests", m.EstimatedRequests);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (withRecords)
            {
                json.WriteStartArray("records");
                foreach (UsageRecord record in report.Records)
                {
                    WriteRecord(json, record);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        });
    }

    // Typed JSON (numbers, booleans, null where Bedrock reported nothing), same names as the CSV columns.
    private static void WriteRecord(Utf8JsonWriter json, UsageRecord r)
    {
        json.WriteStartObject();
        json.WriteString("timestamp", r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("requestId", r.RequestId);
        json.WriteString("keyId", r.KeyId);
        json.WriteString("modelId", r.ModelId);
        json.WriteString("surface", r.Surface);
        json.WriteBoolean("streamed", r.Streamed);
        json.WriteNumber("httpStatus", r.HttpStatus);
        WriteOrNull(json, "errorType", r.ErrorType);
        WriteOrNull(json, "inputTokens", r.Tokens?.InputTokens);
        WriteOrNull(json, "outputTokens", r.Tokens?.OutputTokens);
        WriteOrNull(json, "cacheReadInputTokens", r.Tokens?.CacheReadInputTokens);
        WriteOrNull(json, "cacheWriteInputTokens", r.Tokens?.CacheWriteInputTokens);
        json.WriteNumber("latencyMs", Math.Round(r.LatencyMs, 3));
        if (r.TimeToFirstTokenMs is double ttft)
        {
            json.WriteNumber("timeToFirstTokenMs", Math.Round(ttft, 3));
        }
        else
        {
            json.WriteNull("timeToFirstTokenMs");
        }
        WriteOrNull(json, "bedrockRegion", r.BedrockRegion);
        json.WriteBoolean("estimated", r.Estimated);
        WriteOrNull(json, "bedrockRequestId", r.BedrockRequestId);
        UsageLog.WriteBedrockCalls(json, r, "bedrockRequestIds", "bedrockCalls");
        WriteCost(json, r.CostMicroUsd);
        WriteOrNull(json, "priceVersion", r.PriceVersion);
        json.WriteBoolean("unpriced", ModelUsage.IsUnpriced(r));
        json.WriteEndObject();
    }

    /// <summary><c>costMicroUsd</c> and <c>costUsd</c>, both null when unpriced (never 0 for a model without a price).</summary>
    private static void WriteCost(Utf8JsonWriter json, long? microUsd)
    {
        WriteOrNull(json, "costMicroUsd", microUsd);
        if (microUsd is long cost)
        {
            json.WriteNumber("costUsd", Display.UsdDecimal(cost));
        }
        else
        {
            json.WriteNull("costUsd");
        }
    }

    private static string RecordCost(UsageRecord r) =>
        r.CostMicroUsd is long cost ? Display.Usd(cost) + (r.Estimated ? " (est.)" : "")
        : ModelUsage.IsUnpriced(r) ? "unpriced"
        : "-";

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is long number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>RFC 4180 CSV, one line per request, for spreadsheets and billing imports.</summary>
    public static void WriteCsv(TextWriter output, UsageReport report)
    {
        output.Write(string.Join(",", CsvColumns) + "\r\n");
        foreach (UsageRecord record in report.Records)
        {
            output.Write(string.Join(",", Row(record).Select(Escape)) + "\r\n");
        }
    }

    private static string[] Row(UsageRecord r) =>
    [
        r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        r.RequestId, r.KeyId, r.ModelId, r.Surface, r.Streamed ? "true" : "false",
        r.HttpStatus.ToString(CultureInfo.InvariantCulture), r.ErrorType ?? "",
        Long(r.Tokens?.InputTokens), Long(r.Tokens?.OutputTokens), Long(r.Tokens?.CacheReadInputTokens), Long(r.Tokens?.CacheWriteInputTokens),
        r.LatencyMs.ToString("0.###", CultureInfo.InvariantCulture),
        r.TimeToFirstTokenMs is { } ttft ? ttft.ToString("0.###", CultureInfo.InvariantCulture) : "",
        r.BedrockRegion ?? "", r.Estimated ? "true" : "false", r.BedrockRequestId ?? "",
        Long(r.CostMicroUsd), r.CostMicroUsd is long cost ? UsdText(cost) : "", r.PriceVersion ?? "", ModelUsage.IsUnpriced(r) ? "true" : "false",
    ];

    /// <summary>Dollars to the micro-dollar without a currency sign, for CSV importers.</summary>
    internal static string UsdText(long microUsd) => Display.UsdDecimal(microUsd).ToString("0.000000", CultureInfo.InvariantCulture);

    internal static string Long(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "";

    internal static string Escape(string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return field;
        }
        return new StringBuilder("\"").Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
