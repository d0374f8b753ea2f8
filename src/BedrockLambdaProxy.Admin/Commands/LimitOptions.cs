using System.CommandLine;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>The four limit options of <c>customers create</c> and <c>customers set-limits</c>.</summary>
internal sealed class LimitOptions
{
    public Option<long?> Rpm { get; } = Positive("--rpm", "Requests per minute.", int.MaxValue);
    public Option<long?> Tpm { get; } = Positive("--tpm", "Tokens (input + cache writes + output; cache reads do not count) per minute.", long.MaxValue);
    public Option<long?> Tpd { get; } = Positive("--tpd", "Tokens per day (UTC).", long.MaxValue);
    public Option<long?> MonthlyQuota { get; } = Positive("--monthly-quota", "Tokens per calendar month (UTC).", long.MaxValue);

    public void AddTo(Command command)
    {
        command.Options.Add(Rpm);
        command.Options.Add(Tpm);
        command.Options.Add(Tpd);
        command.Options.Add(MonthlyQuota);
    }

    /// <summary>The given options by the attribute names of the customer's limits map.</summary>
    public Dictionary<string, long> Given(ParseResult parse)
    {
        var given = new Dictionary<string, long>();
        Add(given, CustomerLimitAttributes.RequestsPerMinute, parse.GetValue(Rpm));
        Add(given, CustomerLimitAttributes.TokensPerMinute, parse.GetValue(Tpm));
        Add(given, CustomerLimitAttributes.TokensPerDay, parse.GetValue(Tpd));
        Add(given, CustomerLimitAttributes.MonthlyTokenQuota, parse.GetValue(MonthlyQuota));
        return given;
    }

    public CustomerLimits ToLimits(ParseResult parse)
    {
        long? rpm = parse.GetValue(Rpm);
        return new CustomerLimits(rpm is { } r ? checked((int)r) : null, parse.GetValue(Tpm), parse.GetValue(Tpd), parse.GetValue(MonthlyQuota));
    }

    /// <summary>Maps the short names operators type (rpm, tpm, tpd, monthly-quota) to attribute names.</summary>
    public static string AttributeName(string shortName) => shortName switch
    {
        "rpm" => CustomerLimitAttributes.RequestsPerMinute,
        "tpm" => CustomerLimitAttributes.TokensPerMinute,
        "tpd" => CustomerLimitAttributes.TokensPerDay,
        "monthly-quota" => CustomerLimitAttributes.MonthlyTokenQuota,
        _ => throw new AdminException($"Unknown limit '{shortName}': use rpm, tpm, tpd or monthly-quota.", ExitCodes.Usage),
    };

    private static void Add(Dictionary<string, long> given, string name, long? value)
    {
        if (value is { } v)
        {
            given[name] = v;
        }
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
