using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// <c>GET /v1/usage?month=YYYY-MM</c>: the caller's customer's own usage and cost for one UTC month
/// (docs/USAGE-API.md). The customer comes only from the key; nothing in the query can name another.
/// No Bedrock call, no admission and no usage record.
/// </summary>
/// <param name="maxRecords">
/// At most this many records are read per answer (a few 1 MB Query pages), so a busy month cannot
/// make one GET unbounded; past it the totals come from the month's aggregate and the answer says
/// <c>truncated</c>.
/// </param>
internal sealed class UsageEndpoint(UsageReportReader reader, TimeProvider time, int maxRecords = UsageEndpoint.DefaultMaxRecords)
{
    /// <summary>About 4 MB of records: a few Query pages, well inside a request's time and memory.</summary>
    public const int DefaultMaxRecords = 10_000;

    public async Task HandleAsync(RequestContext context, CustomerContext customer)
    {
        if (!TryReadMonth(context.Request, out string month, out ApiError? error))
        {
            await context.Response.SendAsync(ErrorResponses.Render(error, ErrorStyle.OpenAi), context.Cancellation).ConfigureAwait(false);
            return;
        }
        UsageSummary summary = await ReadAsync(customer.CustomerId, month, context.Cancellation).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            summary.WriteTo(json);
        }
        await context.Response.SendAsync(
            new ProxyResponse(200, [new("content-type", "application/json"), new("cache-control", "no-store")], buffer.WrittenMemory),
            context.Cancellation).ConfigureAwait(false);
    }

    /// <summary>The month's records up to the bound; past it, the aggregate's totals.</summary>
    internal async Task<UsageSummary> ReadAsync(string customerId, string month, CancellationToken ct)
    {
        var summary = new UsageSummary(customerId, month);
        await foreach (UsageRecord record in reader.ListRecordsAsync(customerId, month, ct).ConfigureAwait(false))
        {
            if (summary.RecordsRead == maxRecords)
            {
                // Leaving the loop stops the Query: no further page is read.
                summary.Truncate(await reader.GetMonthAsync(customerId, month, ct).ConfigureAwait(false));
                break;
            }
            summary.Add(record);
        }
        return summary;
    }

    /// <summary>The <c>month</c> parameter (yyyy-MM, 2000-01 or later), or the current UTC month when absent.</summary>
    internal bool TryReadMonth(ProxyRequest request, out string month, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ApiError? error)
    {
        error = null;
        if (!request.Query.TryGetValue("month", out string? asked))
        {
            month = CounterItem.MonthOf(time.GetUtcNow());
            return true;
        }
        month = asked;
        if (asked.Length == 7 && asked[4] == '-'
            && DateTime.TryParseExact(asked, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime parsed)
            && parsed.Year >= 2000)
        {
            return true;
        }
        error = ApiError.BadRequest("The month parameter must be a UTC month like 2026-11 (yyyy-MM).") with { Param = "month" };
        return false;
    }
}
