using System.Text.Json;

namespace BedrockLambdaProxy.Tests.Metrics;

/// <summary>
/// Checks one log line against the rules of CloudWatch's "Specification: Embedded metric format"
/// (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
/// Written from the specification's text, independently of the writer it judges; shared with the
/// integration tests, which run it on a real worker's stdout.
/// </summary>
internal static class EmfValidator
{
    /// <summary>The units CloudWatch accepts (MetricDatum.Unit).</summary>
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    // 2001-09-09 and 2286-11-20 in milliseconds: a value in seconds (or microseconds) falls outside.
    private const long MinTimestampMs = 1_000_000_000_000;
    private const long MaxTimestampMs = 9_999_999_999_999;

    /// <summary>Every rule the line breaks; empty when it is a valid EMF document.</summary>
    public static IReadOnlyList<string> Violations(string line)
    {
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return [$"not one JSON text: {e.Message}"];
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ["the root is not an object"];
            }
            if (!root.TryGetProperty("_aws", out JsonElement aws) || aws.ValueKind != JsonValueKind.Object)
            {
                return ["no _aws metadata object"];
            }
            CheckMetadata(root, aws, problems);
        }
        return problems;
    }

    private static void CheckMetadata(JsonElement root, JsonElement aws, List<string> problems)
    {
        if (!aws.TryGetProperty("Timestamp", out JsonElement timestamp) || timestamp.ValueKind != JsonValueKind.Number)
        {
            problems.Add("_aws.Timestamp is missing or not a number");
        }
        else if (!timestamp.TryGetInt64(out long ms) || ms is < MinTimestampMs or > MaxTimestampMs)
        {
            problems.Add($"_aws.Timestamp {timestamp.GetRawText()} is not whole milliseconds since the epoch");
        }
        if (!aws.TryGetProperty("CloudWatchMetrics", out JsonElement directives) || directives.ValueKind != JsonValueKind.Array)
        {
            problems.Add("_aws.CloudWatchMetrics is missing or not an array");
            return;
        }
        int index = 0;
        foreach (JsonElement directive in directives.EnumerateArray())
        {
            CheckDirective(root, directive, $"CloudWatchMetrics[{index++}]", problems);
        }
    }

    private static void CheckDirective(JsonElement root, JsonElement directive, string where, List<string> problems)
    {
        if (directive.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} is not an object");
            return;
        }
        foreach (JsonProperty member in directive.EnumerateObject())
        {
            if (member.Name is not ("Namespace" or "Dimensions" or "Metrics"))
            {
                problems.Add($"{where} has a member the specification does not define: {member.Name}");
            }
        }
        if (!directive.TryGetProperty("Namespace", out JsonElement ns) || ns.ValueKind != JsonValueKind.String
            || ns.GetString() is not { Length: >= 1 and <= 255 } name || string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{where}.Namespace is missing, not a string, or not 1-255 characters");
        }
        var dimensionKeys = new HashSet<string>(StringComparer.Ordinal);
        if (!directive.TryGetProperty("Dimensions", out JsonElement dimensions) || dimensions.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}.Dimensions is missing or not an array");
        }
        else
        {
            int set = 0;
            foreach (JsonElement dimensionSet in dimensions.EnumerateArray())
            {
                CheckDimensionSet(root, dimensionSet, $"{where}.Dimensions[{set++}]", dimensionKeys, problems);
            }
        }
        if (!directive.TryGetProperty("Metrics", out JsonElement metrics) || metrics.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}.Metrics is missing or not an array");
            return;
        }
        if (metrics.GetArrayLength() > 100)
        {
            problems.Add($"{where}.Metrics has {metrics.GetArrayLength()} definitions; at most 100 are allowed");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        int m = 0;
        foreach (JsonElement definition in metrics.EnumerateArray())
        {
            CheckMetric(root, definition, $"{where}.Metrics[{m++}]", names, dimensionKeys, problems);
        }
    }

    private static void CheckDimensionSet(JsonElement root, JsonElement set, string where, HashSet<string> keys, List<string> problems)
    {
        if (set.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where} is not an array");
            return;
        }
        if (set.GetArrayLength() > 30)
        {
            problems.Add($"{where} has {set.GetArrayLength()} dimension keys; at most 30 are allowed");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement key in set.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{where} holds a non-string dimension key {key.GetRawText()}");
                continue;
            }
            string name = key.GetString()!;
            keys.Add(name);
            if (!seen.Add(name))
            {
                problems.Add($"{where} names dimension {name} twice");
            }
            if (!root.TryGetProperty(name, out JsonElement value))
            {
                problems.Add($"{where}: dimension {name} has no target member on the root");
            }
            else if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: >= 1 and <= 1024 })
            {
                problems.Add($"{where}: dimension {name}'s value is not a string of 1-1024 characters");
            }
        }
    }

    private static void CheckMetric(
        JsonElement root, JsonElement definition, string where, HashSet<string> names, HashSet<string> dimensionKeys, List<string> problems)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} is not an object");
            return;
        }
        foreach (JsonProperty member in definition.EnumerateObject())
        {
            if (member.Name is not ("Name" or "Unit" or "StorageResolution"))
            {
                problems.Add($"{where} has a member the specification does not define: {member.Name}");
            }
        }
        if (!definition.TryGetProperty("Name", out JsonElement nameElement) || nameElement.ValueKind != JsonValueKind.String
            || nameElement.GetString() is not { Length: >= 1 and <= 255 } name)
        {
            problems.Add($"{where}.Name is missing or not a string of 1-255 characters");
            return;
        }
        if (!names.Add(name))
        {
            problems.Add($"{where}: metric {name} is defined twice");
        }
        if (dimensionKeys.Contains(name))
        {
            problems.Add($"{where}: {name} is both a dimension and a metric");
        }
        if (definition.TryGetProperty("Unit", out JsonElement unit)
            && (unit.ValueKind != JsonValueKind.String || !Units.Contains(unit.GetString()!)))
        {
            problems.Add($"{where}: unit {unit.GetRawText()} is not a CloudWatch unit");
        }
        if (definition.TryGetProperty("StorageResolution", out JsonElement resolution)
            && !(resolution.ValueKind == JsonValueKind.Number && resolution.TryGetInt32(out int r) && r is 1 or 60))
        {
            problems.Add($"{where}: StorageResolution must be 1 or 60");
        }
        if (!root.TryGetProperty(name, out JsonElement value))
        {
            problems.Add($"{where}: metric {name} has no value member on the root");
        }
        else if (!IsMetricValue(value))
        {
            problems.Add($"{where}: metric {name}'s value {value.GetRawText()} is not a number or an array of at most 100 numbers");
        }
    }

    private static bool IsMetricValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.Array => value.GetArrayLength() <= 100 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number),
        _ => false,
    };
}
