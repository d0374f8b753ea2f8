using System.CommandLine;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// <c>keys issue|list|update|revoke|rotate</c>. A key is printed once, by issue or rotate; listings show
/// key ids only, never keys or digests. A key may carry limits of its own (issue, update), applied inside its customer's.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CommandContext context)
    {
        var keys = new Command("keys", "Issue, list, limit, revoke and rotate API keys.");
        keys.Subcommands.Add(IssueCommand(context));
        keys.Subcommands.Add(ListCommand(context));
        keys.Subcommands.Add(UpdateCommand(context));
        keys.Subcommands.Add(RevokeCommand(context));
        keys.Subcommands.Add(RotateCommand(context));
        return keys;
    }

    private static Command IssueCommand(CommandContext context)
    {
        var customer = new Argument<string>("customer-id");
        Option<int?> expires = ExpiresInDaysOption();
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var limits = new LimitOptions();
        var command = new Command("issue",
            "Issue a new key for a customer and print it (the only time it is shown). Limit options give the key limits of its own, "
            + "applied inside the customer's (a request needs both); omitted, only the customer's apply.") { customer, expires, format };
        limits.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            (IssuedApiKey key, ApiKeyRecord record) = await session.Issuer.IssueAsync(
                parse.GetRequiredValue(customer), Days(parse.GetValue(expires)), ct, limits: limits.ToLimits(parse));
            CustomerRecord? owner = await session.Customers.GetAsync(record.CustomerId, consistentRead: true, ct);
            string? note = owner is { IsActive: false }
                ? $"Note: customer {owner.CustomerId} is {owner.Status}; the key is refused (403) until 'customers resume {owner.CustomerId}'."
                : null;
            WriteIssued(session.Output, parse.GetValue(format), key, record, note);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CommandContext context)
    {
        var customer = new Argument<string>("customer-id");
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("list", "List a customer's keys: ids, status, dates (never the keys).") { customer, format };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string customerId = parse.GetRequiredValue(customer);
            await CustomersCommand.GetExistingAsync(session, customerId, ct);
            var keys = new List<ApiKeyRecord>();
            await foreach (ApiKeyRecord key in session.Keys.ListByCustomerAsync(customerId, ct))
            {
                keys.Add(key);
            }
            keys.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
            DateTimeOffset now = session.Time.GetUtcNow();
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json =>
                {
                    json.WriteStartArray();
                    keys.ForEach(k => Display.WriteKey(json, k, now));
                    json.WriteEndArray();
                });
                return ExitCodes.Success;
            }
            TextTable.Write(session.Output, ["KEY ID", "STATUS", "CREATED", "EXPIRES", "LIMITS", "ROTATED TO"],
                keys.Select(k => (IReadOnlyList<string>)
                [
                    k.KeyId, k.DisplayStatusAt(now), Display.Time(k.CreatedAt), Display.Time(k.ExpiresAt), Display.KeyLimits(k.Limits),
                    k.RotatedTo ?? "",
                ]).ToList());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command UpdateCommand(CommandContext context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key's id (bk_…), as keys list shows it." };
        var limits = new LimitOptions();
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("update",
            "Change some of a key's own limits (applied inside its customer's); limits not named stay as they are, --unlimited removes some. "
            + AuthCacheNote.Text) { keyId, limits.Unlimited, format };
        command.Aliases.Add("set-limits");
        limits.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string id = RequireKeyId(parse.GetRequiredValue(keyId));
            (Dictionary<string, long> set, List<string> unset) = limits.Changes(parse);
            ApiKeyRecord key = await session.Issuer.UpdateLimitsAsync(id, set, unset, ct);
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json => Display.WriteKey(json, key, session.Time.GetUtcNow()));
                return ExitCodes.Success;
            }
            await session.Output.WriteLineAsync(key.Limits is null
                ? $"Key {id} has no limits of its own now: only customer {key.CustomerId}'s apply. {AuthCacheNote.Text}"
                : $"Limits of key {id} updated (applied inside customer {key.CustomerId}'s). {AuthCacheNote.Text}");
            Display.WriteLimitLines(session.Output, key.Limits ?? CustomerLimits.None);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeCommand(CommandContext context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key's id (bk_…), as keys list shows it." };
        var command = new Command("revoke", "Revoke a key at once. " + AuthCacheNote.Text) { keyId };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string id = RequireKeyId(parse.GetRequiredValue(keyId));
            RevokeOutcome outcome = await session.Issuer.RevokeAsync(id, ct);
            if (outcome == RevokeOutcome.NotFound)
            {
                throw new AdminException($"Key '{id}' does not exist.");
            }
            await session.Output.WriteLineAsync(outcome == RevokeOutcome.Revoked ? $"Key {id} revoked. {AuthCacheNote.Text}" : $"Key {id} was already revoked.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RotateCommand(CommandContext context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key to replace (bk_…)." };
        var grace = new Option<int>("--grace-hours")
        {
            Description = "Hours the old key keeps working.",
            DefaultValueFactory = _ => (int)ApiKeyIssuer.DefaultRotationGrace.TotalHours,
        };
        grace.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 24 * 365)
            {
                r.AddError("--grace-hours must be from 0 to 8760.");
            }
        });
        Option<int?> expires = ExpiresInDaysOption();
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var command = new Command("rotate", "Issue a replacement key for the same customer; the old key expires after the grace period.")
        {
            keyId, grace, expires, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            string id = RequireKeyId(parse.GetRequiredValue(keyId));
            RotationResult rotation = await session.Issuer.RotateAsync(
                id, TimeSpan.FromHours(parse.GetValue(grace)), Days(parse.GetValue(expires)), ct);
            WriteIssued(session.Output, parse.GetValue(format), rotation.NewKey, rotation.NewRecord,
                note: $"Old key {rotation.OldKeyId} keeps working until {Display.Time(rotation.OldKeyExpiresAt)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The one place a key is printed.</summary>
    private static void WriteIssued(TextWriter output, string? format, IssuedApiKey key, ApiKeyRecord record, string? note)
    {
        if (format == Display.Json)
        {
            Display.WriteJson(output, json =>
            {
                json.WriteStartObject();
                json.WriteString("apiKey", key.Key);
                json.WriteString("keyId", key.KeyId);
                json.WriteString("customerId", record.CustomerId);
                json.WriteString("createdAt", record.CreatedAt);
                json.WriteString("expiresAt", record.ExpiresAt?.ToString("O"));
                json.WriteString("rotatedFrom", record.RotatedFrom);
                if (record.Limits is { } limits)
                {
                    Display.WriteLimits(json, limits);
                }
                else
                {
                    json.WriteNull("limits");
                }
                json.WriteEndObject();
            });
            return;
        }
        output.WriteLine($"API key for customer {record.CustomerId}. It is shown only now: store it safely (only its SHA-256 digest is kept).");
        output.WriteLine();
        output.WriteLine("    " + key.Key);
        output.WriteLine();
        output.WriteLine($"Key id:   {key.KeyId}");
        output.WriteLine($"Expires:  {Display.Time(record.ExpiresAt)}");
        output.WriteLine($"Limits:   {Display.KeyLimits(record.Limits)}");
        if (note is not null)
        {
            output.WriteLine(note);
        }
    }

    private static Option<int?> ExpiresInDaysOption()
    {
        var option = new Option<int?>("--expires-in-days") { Description = "Days until the new key expires (default: never)." };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 3650)
            {
                r.AddError("--expires-in-days must be from 1 to 3650.");
            }
        });
        return option;
    }

    private static TimeSpan? Days(int? days) => days is { } d ? TimeSpan.FromDays(d) : null;

    private static string RequireKeyId(string keyId)
    {
        if (ApiKeyFormat.TryParse(keyId, out _))
        {
            // Someone pasted the key itself: refuse, and do not echo it back.
            throw new AdminException("That is an API key, not a key id; give the key id (bk_…).", ExitCodes.Usage);
        }
        return ApiKeyFormat.IsKeyId(keyId)
            ? keyId
            : throw new AdminException("That is not a key id (bk_ followed by 8 letters or digits).", ExitCodes.Usage);
    }
}
