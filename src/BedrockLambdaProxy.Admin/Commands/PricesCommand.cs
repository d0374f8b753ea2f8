using System.CommandLine;
using System.Globalization;
using BedrockLambdaProxy.Admin.Output;
using BedrockLambdaProxy.Pricing;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// <c>prices list|set|map</c>: the prices in force (the shipped table with operator overrides), an override
/// row, and application inference profile ARNs mapped to their model. Stored in the rate-limits table
/// (<see cref="PriceStore"/>); running functions apply them within AUTH_CACHE_SECONDS.
/// </summary>
internal static class PricesCommand
{
    private const string AppliedNote =
        "Running functions apply this within AUTH_CACHE_SECONDS (default 60 s); records already written keep the price they were recorded with.";

    private static readonly Dictionary<string, PriceTier> Tiers = new(StringComparer.Ordinal)
    {
        ["in-region"] = PriceTier.InRegion,
        ["geographic"] = PriceTier.Geographic,
        ["global"] = PriceTier.Global,
    };

    public static Command Create(CommandContext context)
    {
        var prices = new Command("prices", "Model prices used to cost usage: list them, override or add a row, map application inference profiles.");
        prices.Subcommands.Add(ListCommand(context));
        prices.Subcommands.Add(SetCommand(context));
        prices.Subcommands.Add(MapCommand(context));
        return prices;
    }

    private static Command ListCommand(CommandContext context)
    {
        Option<string> format = Display.FormatOption(Display.Table, Display.Json);
        var list = new Command("list", "The prices in force: the shipped table, with operator overrides in their place (USD per million tokens).") { format };
        list.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            // Read directly (not through PriceBook's refresh, which keeps old rows on failure): an unreachable table is an error here.
            PriceOverrides overrides = await new PriceStore(session.Db, session.Tables.RateLimits).LoadAsync(ct);
            PriceBook book = PriceBook.Of(ShippedPrices.Rows, overrides);
            if (parse.GetValue(format) == Display.Json)
            {
                Display.WriteJson(session.Output, json =>
                {
                    json.WriteStartObject();
                    json.WriteStartArray("prices");
                    foreach (ModelPrice row in book.Rows)
                    {
                        json.WriteStartObject();
                        json.WriteString("modelId", row.ModelId);
                        json.WriteString("tier", TierName(row.Tier));
                        json.WriteNumber("inputUsdPerMillion", Display.UsdDecimal(row.InputMicroUsdPerMillion));
                        json.WriteNumber("outputUsdPerMillion", Display.UsdDecimal(row.OutputMicroUsdPerMillion));
                        json.WriteNumber("cacheReadUsdPerMillion", Display.UsdDecimal(row.CacheReadMicroUsdPerMillion));
                        json.WriteNumber("cacheWriteUsdPerMillion", Display.UsdDecimal(row.CacheWriteMicroUsdPerMillion));
                        if (row.CacheWrite1hMicroUsdPerMillion is long hour)
                        {
                            json.WriteNumber("cacheWrite1hUsdPerMillion", Display.UsdDecimal(hour));
                        }
                        else
                        {
                            json.WriteNull("cacheWrite1hUsdPerMillion");
                        }
                        json.WriteString("version", row.Version);
                        json.WriteString("source", row.Source);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteStartObject("applicationProfiles");
                    foreach ((string arn, string model) in book.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        json.WriteString(arn, model);
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                });
                return ExitCodes.Success;
            }
            TextTable.Write(session.Output, ["MODEL", "TIER", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "CACHE WRITE 1H", "VERSION"],
                book.Rows.Select(r => (IReadOnlyList<string>)
                [
                    r.ModelId, TierName(r.Tier), Dollars(r.InputMicroUsdPerMillion), Dollars(r.OutputMicroUsdPerMillion),
                    Dollars(r.CacheReadMicroUsdPerMillion), Dollars(r.CacheWriteMicroUsdPerMillion),
                    r.CacheWrite1hMicroUsdPerMillion is long hour ? Dollars(hour) : "-", r.Version,
                ]).ToList());
            await session.Output.WriteLineAsync("USD per million tokens. A model not listed is unpriced: its requests record no cost. Sources: prices list --format json, docs/COST.md.");
            foreach ((string arn, string model) in book.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                await session.Output.WriteLineAsync($"profile {arn} -> {model}");
            }
            return ExitCodes.Success;
        });
        return list;
    }

    private static Command SetCommand(CommandContext context)
    {
        var model = new Argument<string>("model-id") { Description = "The foundation model id, without a profile prefix (anthropic.claude-sonnet-4-5-20250929-v1:0)." };
        var tier = new Option<string>("--tier") { Description = "in-region, geographic (us./eu./apac./... profiles) or global (global. profiles).", Required = true };
        tier.AcceptOnlyFromAmong([.. Tiers.Keys]);
        var input = Price("--input", "USD per million input tokens.", required: true);
        var output = Price("--output", "USD per million output tokens.", required: true);
        var cacheRead = Price("--cache-read", "USD per million cache-read tokens (default: 0).", required: false);
        var cacheWrite = Price("--cache-write", "USD per million cache-write tokens, 5-minute cache (default: the input price).", required: false);
        var cacheWrite1h = Price("--cache-write-1h", "USD per million cache-write tokens, 1-hour cache, where it differs.", required: false);
        var source = new Option<string?>("--source") { Description = "Where the figures come from (a URL and the date read)." };
        var set = new Command("set", "Override or add the price of a model at one tier. " + AppliedNote)
        {
            model, tier, input, output, cacheRead, cacheWrite, cacheWrite1h, source,
        };
        set.SetAction(async (parse, ct) =>
        {
            string modelId = parse.GetRequiredValue(model).Trim();
            if (modelId.Length == 0 || modelId.StartsWith("arn:", StringComparison.Ordinal) || PricedModelId.Parse(modelId).FoundationModel != modelId)
            {
                throw new AdminException($"'{modelId}' is not a foundation model id: name the model without a profile prefix or ARN, and choose the tier with --tier.", ExitCodes.Usage);
            }
            using AdminSession session = context.Open(parse);
            DateTimeOffset now = session.Time.GetUtcNow();
            long inputPrice = parse.GetValue(input) ?? 0;
            var row = new ModelPrice(
                modelId,
                Tiers[parse.GetRequiredValue(tier)],
                inputPrice,
                parse.GetValue(output) ?? 0,
                parse.GetValue(cacheRead) ?? 0,
                parse.GetValue(cacheWrite) ?? inputPrice,
                "override-" + now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            {
                CacheWrite1hMicroUsdPerMillion = parse.GetValue(cacheWrite1h),
                Source = parse.GetValue(source) ?? "operator, " + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            await new PriceStore(session.Db, session.Tables.RateLimits).SetAsync(row, ct);
            await session.Output.WriteLineAsync(
                $"Price of {modelId} ({TierName(row.Tier)}) set: input {Dollars(row.InputMicroUsdPerMillion)}, output {Dollars(row.OutputMicroUsdPerMillion)}, "
                + $"cache read {Dollars(row.CacheReadMicroUsdPerMillion)}, cache write {Dollars(row.CacheWriteMicroUsdPerMillion)} per million tokens; version {row.Version}.");
            await session.Output.WriteLineAsync(AppliedNote);
            return ExitCodes.Success;
        });
        return set;
    }

    private static Command MapCommand(CommandContext context)
    {
        var arn = new Argument<string>("profile-arn") { Description = "arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/ID" };
        var model = new Argument<string>("model-id") { Description = "The model id the profile calls, with its tier prefix (global.anthropic..., us.anthropic..., or a foundation model id)." };
        var map = new Command("map", "Price an application inference profile as the model it calls. " + AppliedNote) { arn, model };
        map.SetAction(async (parse, ct) =>
        {
            string profile = parse.GetRequiredValue(arn).Trim();
            string modelId = parse.GetRequiredValue(model).Trim();
            if (PricedModelId.Parse(profile).ApplicationProfileArn is null)
            {
                throw new AdminException($"'{profile}' is not an application inference profile ARN (arn:aws:bedrock:...:application-inference-profile/...).", ExitCodes.Usage);
            }
            if (modelId.Length == 0 || PricedModelId.Parse(modelId).ApplicationProfileArn is not null)
            {
                throw new AdminException("Map the profile to a model id, not to another application inference profile.", ExitCodes.Usage);
            }
            using AdminSession session = context.Open(parse);
            await new PriceStore(session.Db, session.Tables.RateLimits).MapProfileAsync(profile, modelId, ct);
            await session.Output.WriteLineAsync($"Requests through {profile} are priced as {modelId}.");
            await session.Output.WriteLineAsync(AppliedNote);
            return ExitCodes.Success;
        });
        return map;
    }

    /// <summary>A price in USD per million, stored as micro-dollars per million: at most six decimals, never negative.</summary>
    private static Option<long?> Price(string name, string description, bool required)
    {
        var option = new Option<long?>(name)
        {
            Description = description,
            Required = required,
            CustomParser = r =>
            {
                string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal dollars)
                    || dollars * 1_000_000m != decimal.Truncate(dollars * 1_000_000m) || dollars > 1_000_000m)
                {
                    r.AddError($"{name} must be US dollars per million tokens, e.g. 3 or 0.035 (at most six decimals).");
                    return null;
                }
                return (long)(dollars * 1_000_000m);
            },
        };
        return option;
    }

    private static string Dollars(long microUsdPerMillion) =>
        "$" + Display.UsdDecimal(microUsdPerMillion).ToString("0.######", CultureInfo.InvariantCulture);

    private static string TierName(PriceTier tier) => tier switch
    {
        PriceTier.Geographic => "geographic",
        PriceTier.Global => "global",
        _ => "in-region",
    };
}
