using System.CommandLine;
using System.Security.Cryptography;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary><c>customers create|list|show|suspend|resume|set-limits|set-models</c>.</summary>
internal static class CustomersCommand
{
    public static Command Create(CommandContext context)
    {
        var customers = new Command("customers", "Create and manage customers: status, limits, allowed models.");
        customers.Subcommands.Add(CreateCommand(context));
        customers.Subcommands.Add(ListCommand(context));
        customers.Subcommands.Add(ShowCommand(context));
        customers.Subcommands.Add(StatusCommand(context, "suspend", CustomerStatus.Suspended, "Refuse every key of the customer (403)."));
        customers.Subcommands.Add(StatusCommand(context, "resume", CustomerStatus.Active, "Let a suspended customer's keys work again."));
        customers.Subcommands.Add(SetLimitsCommand(context));
        customers.Subcommands.Add(SetModelsCommand(context));
        return customers;
    }

    private static Command CreateCommand(CommandContext context)
    {
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var id = new Option<string?>("--id") { Description = "Customer id (default: cus_ + 12 random characters)." };
        var models = new Option<string?>("--models") { Description = "Comma-separated model ids, inference profile ids, ARNs or families ending in * (anthropic.claude-sonnet-4*) the customer may call; a model id also admits its us./eu./apac./global. profiles (default: any)." };
        var limits = new LimitOptions();
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("create", "Create a customer.") { name, id, models, format };
        limits.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetValue(id) ?? "cus_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
            RequireValidId(customerId);
            var record = new CustomerRecord
            {
                CustomerId = customerId,
                Name = parse.GetRequiredValue(name),
                Status = CustomerStatus.Active,
                CreatedAt = session.Time.GetUtcNow(),
                Limits = limits.ToLimits(parse),
                AllowedModels = SplitList(parse.GetValue(models)),
            };
            if (!await session.Customers.CreateAsync(record, ct))
            {
                throw new AdminException($"Customer '{customerId}' already exists.");
            }
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json => Display.WriteCustomer(json, record));
            }
            else
            {
                await session.Output.WriteLineAsync($"Created customer {customerId} ({record.Name}).");
                WriteDetails(session.Output, record);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CommandContext context)
    {
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("list", "List every customer.") { format };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            var all = new List<CustomerRecord>();
            await foreach (CustomerRecord customer in session.Customers.ListAsync(ct))
            {
                all.Add(customer);
            }
            all.Sort((a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId));
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json =>
                {
                    json.WriteStartArray();
                    all.ForEach(c => Display.WriteCustomer(json, c));
                    json.WriteEndArray();
                });
                return ExitCodes.Success;
            }
            TextTable.Write(session.Output,
                ["ID", "NAME", "STATUS", "RPM", "TPM", "TPD", "MONTHLY QUOTA", "MAX CONCURRENT", "MODELS", "CREATED"],
                all.Select(c => (IReadOnlyList<string>)
                [
                    c.CustomerId, c.Name, c.Status, Display.Number(c.Limits.RequestsPerMinute), Display.Number(c.Limits.TokensPerMinute),
                    Display.Number(c.Limits.TokensPerDay), Display.Number(c.Limits.MonthlyTokenQuota), Display.Number(c.Limits.MaxConcurrent),
                    Display.Models(c.AllowedModels),
                    Display.Time(c.CreatedAt),
                ]).ToList());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(CommandContext context)
    {
        var id = new Argument<string>("customer-id");
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("show", "Show one customer.") { id, format };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            CustomerRecord customer = await GetExistingAsync(session, parse.GetRequiredValue(id), ct);
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json => Display.WriteCustomer(json, customer));
            }
            else
            {
                await session.Output.WriteLineAsync($"{customer.CustomerId} ({customer.Name})");
                WriteDetails(session.Output, customer);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command StatusCommand(CommandContext context, string verb, string status, string description)
    {
        var id = new Argument<string>("customer-id");
        var command = new Command(verb, description) { id };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetRequiredValue(id);
            if (!await session.Customers.SetStatusAsync(customerId, status, ct))
            {
                throw new AdminException($"Customer '{customerId}' does not exist.");
            }
            await session.Output.WriteLineAsync($"Customer {customerId} is now {status}. {AuthCacheNote.Text}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetLimitsCommand(CommandContext context)
    {
        var id = new Argument<string>("customer-id");
        var limits = new LimitOptions();
        var command = new Command("set-limits", "Change some limits; limits not named stay as they are.") { id, limits.Unlimited };
        limits.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetRequiredValue(id);
            (Dictionary<string, long> set, List<string> unset) = limits.Changes(parse);
            if (!await session.Customers.SetLimitsAsync(customerId, set, unset, ct))
            {
                throw new AdminException($"Customer '{customerId}' does not exist.");
            }
            CustomerRecord customer = await GetExistingAsync(session, customerId, ct);
            await session.Output.WriteLineAsync($"Limits of {customerId} updated.");
            WriteDetails(session.Output, customer);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetModelsCommand(CommandContext context)
    {
        var id = new Argument<string>("customer-id");
        var models = new Option<string?>("--models") { Description = "Comma-separated model ids, inference profile ids, ARNs or families ending in * the customer may call; a model id also admits its us./eu./apac./global. profiles." };
        var any = new Option<bool>("--any") { Description = "Allow every model." };
        var command = new Command("set-models", "Replace the customer's model allow-list.") { id, models, any };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetRequiredValue(id);
            IReadOnlyList<string> list = SplitList(parse.GetValue(models));
            if ((list.Count > 0) == parse.GetValue(any))
            {
                throw new AdminException("Give either --models a,b,… or --any.", ExitCodes.Usage);
            }
            if (!await session.Customers.SetModelsAsync(customerId, list, ct))
            {
                throw new AdminException($"Customer '{customerId}' does not exist.");
            }
            await session.Output.WriteLineAsync($"Allowed models of {customerId}: {Display.Models(list)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static async Task<CustomerRecord> GetExistingAsync(AdminSession session, string customerId, CancellationToken ct)
    {
        return await session.Customers.GetAsync(customerId, consistentRead: true, ct)
            ?? throw new AdminException($"Customer '{customerId}' does not exist.");
    }

    private static void WriteDetails(TextWriter output, CustomerRecord c)
    {
        output.WriteLine($"  status:         {c.Status}");
        Display.WriteLimitLines(output, c.Limits);
        output.WriteLine($"  models:         {Display.Models(c.AllowedModels)}");
        output.WriteLine($"  created:        {Display.Time(c.CreatedAt)}");
    }

    private static void RequireValidId(string customerId)
    {
        if (!CustomerRecord.IsValidId(customerId))
        {
            throw new AdminException("A customer id is 1-64 letters, digits, '-', '_' or '.'.", ExitCodes.Usage);
        }
    }

    internal static List<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}
