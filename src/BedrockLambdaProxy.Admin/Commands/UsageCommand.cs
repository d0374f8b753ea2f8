using System.CommandLine;
using System.Globalization;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// <c>usage report CUSTOMER --month yyyy-MM</c>: the month's billed totals (from the monthly
/// aggregate) and a per-model breakdown (from the usage records); csv lists every record.
/// </summary>
internal static class UsageCommand
{
    public static Command Create(CommandContext context)
    {
        var customer = new Argument<string>("customer-id");
        var month = new Option<string>("--month") { Description = "The UTC month, yyyy-MM.", Required = true };
        month.Validators.Add(r =>
        {
            if (!DateTime.TryParseExact(r.GetValueOrDefault<string>(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                r.AddError("--month must look like 2026-11.");
            }
        });
        var records = new Option<bool>("--records") { Description = "Also list every request (always on for csv)." };
        Option<string> format = Display.FormatOption(Display.Table, Display.Json, Display.Csv);
        var report = new Command("report", "A customer's token usage for one month, as Bedrock reported it.") { customer, month, records, format };
        report.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetRequiredValue(customer);
            string monthText = parse.GetRequiredValue(month);
            await CustomersCommand.GetExistingAsync(session, customerId, ct);
            var reader = new UsageReportReader(session.Db, session.Tables.Usage, session.Tables.RateLimits);
            MonthlyUsage? totals = await reader.GetMonthAsync(customerId, monthText, ct);
            var list = new List<UsageRecord>();
            await foreach (UsageRecord record in reader.ListRecordsAsync(customerId, monthText, ct))
            {
                list.Add(record);
            }
            var result = new UsageReport(customerId, monthText, totals, list);
            switch (parse.GetValue(format))
            {
                case Display.Csv:
                    UsageReportWriter.WriteCsv(session.Output, result);
                    break;
                case Display.Json:
                    UsageReportWriter.WriteJson(session.Output, result, parse.GetValue(records));
                    break;
                default:
                    UsageReportWriter.WriteTable(session.Output, result, parse.GetValue(records));
                    break;
            }
            return ExitCodes.Success;
        });
        var usage = new Command("usage", "Usage reports for billing.");
        usage.Subcommands.Add(report);
        return usage;
    }
}
