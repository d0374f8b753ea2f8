using System.CommandLine;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// The limit options of <c>customers create</c> and <c>customers set-limits</c>, and of <c>keys issue</c> and
/// <c>keys update</c> (a key's own limits, applied inside its customer's).
/// </summary>
internal sealed class LimitOptions
{
    public Option<long?> Rpm { get; } = Positive("--rpm", "Requests per minute.", int.MaxValue);
    public Option<long?> Tpm { get; } = Positive("--tpm", "Tokens (input + cache writes + output; cache reads do not count) per minute.", long.MaxValue);
    public Option<long?> Tpd { get; } = Positive("--tpd", "Tokens per day (UTC).", long.MaxValue);
    public Option<long?> MonthlyQuota { get; } = Positive("--monthly-quota", "Tokens per calendar month (UTC).", long.MaxValue);
    public Option<long?> MaxConcurrent { get; } = Positive("--max-concurrent",
        "Requests in flight at once, across all instances (docs/LIMITS.md); each capped request costs two extra DynamoDB writes.", MaxConcurrentCap);

    public Option<decimal?> MonthlyBudgetUsd { get; } = Budget();

    /// <summary>For the commands that change limits: the ones to remove (make unlimited).</summary>
    public Option<string?> Unlimited { get; } = new("--unlimited")
    {
        Description = "Comma-separated limits to remove: rpm, tpm, tpd, monthly-quota, max-concurrent, monthly-budget-usd.",
    };

    /// <summary>
    /// Largest cap: every in-flight request is one entry of one DynamoDB item (400 KB at most), and a
    /// Lambda account's default concurrency is 1,000.
    /// </summary>
    public const int MaxConcurrentCap = 1000;

    public void AddTo(Command command)
    {
        command.Options.Add(Rpm);
        command.Options.Add(Tpm);
        command.Options.Add(Tpd);
        command.Options.Add(MonthlyQuota);
        command.Options.Add(MaxConcurrent);
        command.Options.Add(MonthlyBudgetUsd);
    }

    /// <summary>
    /// What a set-limits command changes: the given limits, and the ones <see cref="Unlimited"/> removes; refuses
    /// (usage error) nothing to change and a limit both set and removed.
    /// </summary>
    public (Dictionary<string, long> Set, List<string> Unset) Changes(ParseResult parse)
    {
        Dictionary<string, long> set = Given(parse);
        List<string> unset = CustomersCommand.SplitList(parse.GetValue(Unlimited)).Select(AttributeName).Distinct().ToList();
        if (set.Count == 0 && unset.Count == 0)
        {
            throw new AdminException("Nothing to change: give --rpm, --tpm, --tpd, --monthly-quota, --max-concurrent, --monthly-budget-usd or --unlimited.", ExitCodes.Usage);
        }
        if (unset.FirstOrDefault(set.ContainsKey) is { } both)
        {
            throw new AdminException($"'{both}' is both set and made unlimited.", ExitCodes.Usage);
        }
        return (set, unset);
    }

    /// <summary>The given options by the attribute names of the customer's limits map.</summary>
    public Dictionary<string, long> Given(ParseResult parse)
    {
        var given = new Dictionary<string, long>();
        Add(given, CustomerLimitAttributes.RequestsPerMinute, parse.GetValue(Rpm));
        Add(given, CustomerLimitAttributes.TokensPerMinute, parse.GetValue(Tpm));
        Add(given, CustomerLimitAttributes.TokensPerDay, parse.GetValue(Tpd));
        Add(given, CustomerLimitAttributes.MonthlyTokenQuota, parse.GetValue(MonthlyQuota));
        Add(given, CustomerLimitAttributes.MaxConcurrent, parse.GetValue(MaxConcurrent));
        Add(given, CustomerLimitAttributes.MonthlyBudgetMicroUsd, MicroUsd(parse.GetValue(MonthlyBudgetUsd)));
        return given;
    }

    public CustomerLimits ToLimits(ParseResult parse)
    {
        long? rpm = parse.GetValue(Rpm);
        long? maxConcurrent = parse.GetValue(MaxConcurrent);
        return new CustomerLimits(rpm is { } r ? checked((int)r) : null, parse.GetValue(Tpm), parse.GetValue(Tpd), parse.GetValue(MonthlyQuota))
        {
            MaxConcurrent = maxConcurrent is { } m ? checked((int)m) : null,
            MonthlyBudgetMicroUsd = MicroUsd(parse.GetValue(MonthlyBudgetUsd)),
        };
    }

    /// <summary>Maps the short names operators type (rpm, tpm, tpd, monthly-quota, max-concurrent, monthly-budget-usd) to attribute names.</summary>
    public static string AttributeName(string shortName) => shortName switch
    {
        "rpm" => CustomerLimitAttributes.RequestsPerMinute,
        "tpm" => CustomerLimitAttributes.TokensPerMinute,
        "tpd" => CustomerLimitAttributes.TokensPerDay,
        "monthly-quota" => CustomerLimitAttributes.MonthlyTokenQuota,
        "max-concurrent" => CustomerLimitAttributes.MaxConcurrent,
        "monthly-budget-usd" => CustomerLimitAttributes.MonthlyBudgetMicroUsd,
        _ => throw new AdminException(
            $"Unknown limit '{shortName}': use rpm, tpm, tpd, monthly-quota, max-concurrent or monthly-budget-usd.", ExitCodes.Usage),
    };

    private static void Add(Dictionary<string, long> given, string name, long? value)
    {
        if (value is { } v)
        {
            given[name] = v;
        }
    }

    /// <summary>Dollars to micro-dollars (the stored integer); the validator has bounded the value.</summary>
    private static long? MicroUsd(decimal? usd) => usd is { } d ? (long)(d * 1_000_000m) : null;

    private static Option<decimal?> Budget()
    {
        const decimal max = 1_000_000_000m;
        var option = new Option<decimal?>("--monthly-budget-usd")
        {
            Description = "US dollars per calendar month (UTC), at the proxy's prices; requests reserve their worst-case cost "
                + "(docs/LIMITS.md, Dollar budgets). A model without a price is refused for a customer with a budget. Omit for unlimited.",
        };
        option.Validators.Add(result =>
        {
            decimal? value = result.GetValueOrDefault<decimal?>();
            if (value is { } d && (d < 0.000001m || d > max || d * 1_000_000m != decimal.Truncate(d * 1_000_000m)))
            {
                result.AddError($"--monthly-budget-usd must be an amount in US dollars from 0.000001 to {max:0}, with at most six decimals.");
            }
        });
        return option;
    }

    private static Option<long?> Positive(string name, string description, long max)
    {
        var option = new Option<long?>(name) { Description = description + " Omit for unlimited." };
        option.Validators.Add(result =>
        {
            long? value = result.GetValueOrDefault<long?>();
            // requestsPerMinute is an int in CustomerLimits, hence the per-option maximum.
            if (value <= 0 || value > max)
            {
                result.AddError($"{name} must be a whole number from 1 to {max}.");
            }
        });
        return option;
    }
}
