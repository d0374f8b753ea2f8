using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin.Output;

/// <summary>Formatting shared by the commands: times, limits, the --format option and JSON output.</summary>
internal static class Display
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Csv = "csv";

    public static Option<string> FormatOption(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format: " + string.Join(", ", formats) + ".",
            DefaultValueFactory = _ => Table,
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    public static string Number(long? value) =>
        value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "unlimited";

    /// <summary>Micro-dollars as US dollars to the micro-dollar, e.g. <c>$0.012600</c>: exact, never rounded to the cent before the invoice.</summary>
    public static string Usd(long microUsd) => "$" + UsdDecimal(microUsd).ToString("0.000000", CultureInfo.InvariantCulture);

    public static decimal UsdDecimal(long microUsd) => microUsd / 1_000_000m;

    public static string Models(IReadOnlyList<string> models) => models.Count == 0 ? "any" : string.Join(",", models);

    /// <summary>Writes one JSON document (indented) built by <paramref name="write"/>, then a newline.</summary>
    public static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static void WriteCustomer(Utf8JsonWriter json, CustomerRecord customer)
    {
        json.WriteStartObject();
        json.WriteString("customerId", customer.CustomerId);
        json.WriteString("name", customer.Name);
        json.WriteString("status", customer.Status);
        json.WriteString("createdAt", customer.CreatedAt);
        WriteLimits(json, customer.Limits);
        json.WriteStartArray("allowedModels");
        foreach (string model in customer.AllowedModels)
        {
            json.WriteStringValue(model);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The <c>limits</c> object: every limit by its attribute name, null when unlimited.</summary>
    public static void WriteLimits(Utf8JsonWriter json, CustomerLimits limits)
    {
        json.WriteStartObject("limits");
        foreach ((string name, long? value) in CustomerLimitAttributes.Values(limits))
        {
            if (value is { } v)
            {
                json.WriteNumber(name, v);
            }
            else
            {
                json.WriteNull(name);
            }
        }
        json.WriteEndObject();
    }

    /// <summary>One line per limit, indented, for the details of a customer or a key.</summary>
    public static void WriteLimitLines(TextWriter output, CustomerLimits limits)
    {
        output.WriteLine($"  requests/min:   {Number(limits.RequestsPerMinute)}");
        output.WriteLine($"  tokens/min:     {Number(limits.TokensPerMinute)}");
        output.WriteLine($"  tokens/day:     {Number(limits.TokensPerDay)}");
        output.WriteLine($"  monthly quota:  {Number(limits.MonthlyTokenQuota)}");
        output.WriteLine($"  max concurrent: {Number(limits.MaxConcurrent)}");
        output.WriteLine($"  monthly budget: {(limits.MonthlyBudgetMicroUsd is long budget ? Limits.Usd.Format(budget) + " USD" : Number(null))}");
    }

    /// <summary>
    /// A key's own limits on one line, by the option names operators type (<c>rpm=2 monthly-budget-usd=1.00</c>), or
    /// <c>customer's</c> when the key has none (only its customer's apply).
    /// </summary>
    public static string KeyLimits(CustomerLimits? limits)
    {
        if (limits is not { Any: true } l)
        {
            return "customer's";
        }
        var parts = new List<string>(6);
        void Add(string name, long? value)
        {
            if (value is { } v)
            {
                parts.Add(name + "=" + v.ToString(CultureInfo.InvariantCulture));
            }
        }
        Add("rpm", l.RequestsPerMinute);
        Add("tpm", l.TokensPerMinute);
        Add("tpd", l.TokensPerDay);
        Add("monthly-quota", l.MonthlyTokenQuota);
        Add("max-concurrent", l.MaxConcurrent);
        if (l.MonthlyBudgetMicroUsd is long budget)
        {
            parts.Add("monthly-budget-usd=" + Limits.Usd.Format(budget));
        }
        return string.Join(" ", parts);
    }

    /// <summary>A key's listing: never its digest.</summary>
    public static void WriteKey(Utf8JsonWriter json, ApiKeyRecord key, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("keyId", key.KeyId);
        json.WriteString("customerId", key.CustomerId);
        json.WriteString("status", key.DisplayStatusAt(now));
        json.WriteString("createdAt", key.CreatedAt);
        WriteOptional(json, "expiresAt", key.ExpiresAt);
        WriteOptional(json, "revokedAt", key.RevokedAt);
        json.WriteString("rotatedTo", key.RotatedTo);
        json.WriteString("rotatedFrom", key.RotatedFrom);
        // The key's own limits, inside its customer's; null when it has none.
        if (key.Limits is { } limits)
        {
            WriteLimits(json, limits);
        }
        else
        {
            json.WriteNull("limits");
        }
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
