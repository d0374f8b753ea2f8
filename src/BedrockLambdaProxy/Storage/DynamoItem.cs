using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage;

/// <summary>Reading and writing typed attributes of low-level DynamoDB items.</summary>
internal static class DynamoItem
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Instants are stored as ISO 8601 UTC strings: readable in the console and sortable.</summary>
    public static AttributeValue Time(DateTimeOffset value) =>
        new() { S = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) };

    public static string? GetString(Dictionary<string, AttributeValue>? item, string name)
    {
        return item is not null && item.TryGetValue(name, out AttributeValue? value) ? value.S : null;
    }

    public static string RequireString(Dictionary<string, AttributeValue> item, string name)
    {
        return GetString(item, name) ?? throw new InvalidDataException($"Item attribute '{name}' is missing or not a string.");
    }

    public static long? GetLong(Dictionary<string, AttributeValue>? item, string name)
    {
        return item is not null && item.TryGetValue(name, out AttributeValue? value) && value.N is { } n
            ? long.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;
    }

    public static DateTimeOffset? GetTime(Dictionary<string, AttributeValue>? item, string name)
    {
        string? text = GetString(item, name);
        return text is null
            ? null
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public static Dictionary<string, AttributeValue>? GetMap(Dictionary<string, AttributeValue>? item, string name)
    {
        return item is not null && item.TryGetValue(name, out AttributeValue? value) ? value.M : null;
    }

    public static IReadOnlyList<string> GetStringList(Dictionary<string, AttributeValue>? item, string name)
    {
        if (item is null || !item.TryGetValue(name, out AttributeValue? value) || value.L is null)
        {
            return [];
        }
        var list = new List<string>(value.L.Count);
        foreach (AttributeValue element in value.L)
        {
            if (element.S is { } s)
            {
                list.Add(s);
            }
        }
        return list;
    }

    public static AttributeValue StringList(IEnumerable<string> values)
    {
        return new AttributeValue { L = values.Select(S).ToList() };
    }
}
