using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// The <c>limits</c> map that customer items and API key items carry (names in <see cref="CustomerLimitAttributes"/>;
/// an absent entry is unlimited), and the update expression that sets and removes single entries of it.
/// </summary>
internal static class LimitsMap
{
    public const string Attribute = "limits";

    public static Dictionary<string, AttributeValue> ToMap(CustomerLimits limits)
    {
        var map = new Dictionary<string, AttributeValue>();
        foreach ((string name, long? value) in CustomerLimitAttributes.Values(limits))
        {
            if (value is { } v)
            {
                map[name] = DynamoItem.N(v);
            }
        }
        return map;
    }

    public static CustomerLimits FromMap(Dictionary<string, AttributeValue>? limits)
    {
        long? rpm = DynamoItem.GetLong(limits, CustomerLimitAttributes.RequestsPerMinute);
        long? maxConcurrent = DynamoItem.GetLong(limits, CustomerLimitAttributes.MaxConcurrent);
        return new CustomerLimits(
            rpm is { } r ? (int)Math.Min(r, int.MaxValue) : null,
            DynamoItem.GetLong(limits, CustomerLimitAttributes.TokensPerMinute),
            DynamoItem.GetLong(limits, CustomerLimitAttributes.TokensPerDay),
            DynamoItem.GetLong(limits, CustomerLimitAttributes.MonthlyTokenQuota))
        {
            MaxConcurrent = maxConcurrent is { } m ? (int)Math.Min(m, int.MaxValue) : null,
            MonthlyBudgetMicroUsd = DynamoItem.GetLong(limits, CustomerLimitAttributes.MonthlyBudgetMicroUsd),
        };
    }

    /// <summary>
    /// "SET #l.#n0 = :v0 … REMOVE #l.#n1 …" for the given entries, adding its names (<c>#l</c> is the map) and values;
    /// the map must exist (a document path into a missing map is an error).
    /// </summary>
    public static string Update(IReadOnlyDictionary<string, long> set, IReadOnlyCollection<string> unset,
        Dictionary<string, string> names, Dictionary<string, AttributeValue> values)
    {
        names["#l"] = Attribute;
        var sets = new List<string>();
        var removes = new List<string>();
        int i = 0;
        foreach ((string name, long value) in set)
        {
            names["#n" + i] = name;
            values[":v" + i] = DynamoItem.N(value);
            sets.Add($"#l.#n{i} = :v{i}");
            i++;
        }
        foreach (string name in unset)
        {
            names["#n" + i] = name;
            removes.Add($"#l.#n{i}");
            i++;
        }
        string expression = (sets.Count > 0 ? "SET " + string.Join(", ", sets) + " " : "")
            + (removes.Count > 0 ? "REMOVE " + string.Join(", ", removes) : "");
        return expression.Trim();
    }
}
