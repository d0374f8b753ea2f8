using System.CommandLine;
using System.Globalization;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// <c>usage export --month yyyy-MM</c>: one invoice-ready CSV for every customer, one line per customer,
/// key and model (requests, each token class, cost, estimated and unpriced requests), from the usage records.
/// </summary>
internal static class UsageExport
{
    private static readonly string[] Columns =
    [
        "month", "customerId", "customerName", "keyId", "modelId", "requests", "errors",
        "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens",
        "costMicroUsd", "costUsd", "estimatedRequests", "unpricedRequests",
    ];

    public static Command Create(CommandContext context, Option<string> month)
    {
        var export = new Command("export", "One CSV for all customers: a line per customer, key and model with tokens and cost (USD). A model with no price has an empty cost and counts its requests as unpriced.")
        {
            month,
        };
        export.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string monthText = parse.GetRequiredValue(month);
            var reader = new UsageReportReader(session.Db, session.Tables.Usage, session.Tables.RateLimits);
            var customers = new List<CustomerRecord>();
            await foreach (CustomerRecord customer in session.Customers.ListAsync(ct))
            {
                customers.Add(customer);
            }
            await session.Output.WriteAsync(string.Join(",", Columns) + "\r\n");
            foreach (CustomerRecord customer in customers.OrderBy(c => c.CustomerId, StringComparer.Ordinal))
            {
                var records = new List<UsageRecord>();
                await foreach (UsageRecord record in reader.ListRecordsAsync(customer.CustomerId, monthText, ct))
                {
                    records.Add(record);
                }
                foreach (IGrouping<(string KeyId, string ModelId), UsageRecord> line in records
                    .GroupBy(r => (r.KeyId, r.ModelId))
                    .OrderBy(g => g.Key.KeyId, StringComparer.Ordinal).ThenBy(g => g.Key.ModelId, StringComparer.Ordinal))
                {
                    ModelUsage sum = ModelUsage.Sum(line.Key.ModelId, line.ToList());
                    string[] fields =
                    [
                        monthText, customer.CustomerId, customer.Name, line.Key.KeyId, sum.ModelId,
                        Count(sum.Requests), Count(sum.Errors),
                        Count(sum.InputTokens), Count(sum.OutputTokens), Count(sum.CacheReadInputTokens), Count(sum.CacheWriteInputTokens),
                        UsageReportWriter.Long(sum.Cost), sum.Cost is long cost ? UsageReportWriter.UsdText(cost) : "",
                        Count(sum.EstimatedRequests), Count(sum.UnpricedRequests),
                    ];
                    await session.Output.WriteAsync(string.Join(",", fields.Select(UsageReportWriter.Escape)) + "\r\n");
                }
            }
            return ExitCodes.Success;
        });
        return export;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
