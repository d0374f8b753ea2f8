using System.CommandLine;
using System.Globalization;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// <c>usage report CUSTOMER --month yyyy-MM</c>: the month's billed totals (from the monthly
/// aggregate) and a per-model breakdown (from the usage records); csv lists every record.
/// <c>usage export --month yyyy-MM</c>: every customer's month as one CSV (<see cref="UsageExport"/>).
/// <c>usage replay FILE</c>: the records the function could not store, written back.
/// </summary>
internal static class UsageCommand
{
    public static Command Create(CommandContext context)
    {
        var customer = new Argument<string>("customer-id");
        Option<string> month = MonthOption();
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
        var usage = new Command("usage", "Usage reports for billing, and replay of usage the function could not store.");
        usage.Subcommands.Add(report);
        usage.Subcommands.Add(UsageExport.Create(context, MonthOption()));
        usage.Subcommands.Add(ReplayCommand(context));
        return usage;
    }

    /// <summary><c>--month yyyy-MM</c>, required and checked.</summary>
    private static Option<string> MonthOption()
    {
        var month = new Option<string>("--month") { Description = "The UTC month, yyyy-MM.", Required = true };
        month.Validators.Add(r =>
        {
            if (!DateTime.TryParseExact(r.GetValueOrDefault<string>(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                r.AddError("--month must look like 2026-11.");
            }
        });
        return month;
    }

    /// <summary>
    /// <c>usage replay FILE</c>: writes back every <c>usage_record_unwritten</c> line (the UsageRecordsUnwritten
    /// alarm's lines) and adds it to the month, once however often the same line is replayed.
    /// </summary>
    private static Command ReplayCommand(CommandContext context)
    {
        var file = new Argument<string>("file")
        {
            Description = "Log lines exported from CloudWatch Logs (plain or prefixed lines, or the JSON of aws logs filter-log-events / get-log-events); - reads standard input.",
        };
        var replay = new Command("replay", "Store the usage records the function logged as unwritten (event_type usage_record_unwritten) and add them to the monthly totals. Replaying a line again changes nothing.") { file };
        replay.SetAction(async (parse, ct) =>
        {
            string path = parse.GetRequiredValue(file);
            string text;
            try
            {
                text = path == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AdminException($"cannot read {path}: {e.Message}", ExitCodes.Usage);
            }
            using AdminSession session = context.Open(parse);
            var replayer = new UsageReplay(session.Db, session.Tables.Usage, session.Tables.RateLimits, session.Time);
            var summary = new ReplaySummary();
            foreach (string line in ReplayInput.Lines(text))
            {
                summary.Read++;
                try
                {
                    switch (await replayer.ReplayLineAsync(line, ct))
                    {
                        case UsageReplay.Outcome.Written:
                            summary.Written++;
                            break;
                        case UsageReplay.Outcome.AlreadyApplied:
                            summary.AlreadyApplied++;
                            break;
                        case UsageReplay.Outcome.Unconfirmed:
                            summary.Failed++;
                            await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                                $"line {summary.Read}: an earlier replay claimed this record but did not confirm adding it to the month; compare usage report with the usage records before removing its replayedAt"));
                            break;
                        default:
                            summary.Skipped++;
                            break;
                    }
                }
                catch (Exception e) when (e is FormatException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException
                    or HttpRequestException or IOException or TimeoutException)
                {
                    // One bad line must not stop the others; it is named, and the run fails, so it is not forgotten.
                    summary.Failed++;
                    await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"line {summary.Read}: not replayed ({e.GetType().Name}: {e.Message})"));
                }
            }
            await session.Output.WriteLineAsync(summary.ToString());
            return summary.Failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return replay;
    }
}
