using System.Globalization;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>Median, quartiles and extremes of a set of samples, printed as a Markdown table row.</summary>
internal sealed record Summary(int Count, double Median, double P25, double P75, double Min, double Max)
{
    public static Summary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new InvalidOperationException("No samples.");
        }

        return new Summary(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.25), Percentile(sorted, 0.75), sorted[0], sorted[^1]);
    }

    /// <summary>The header of a table of summaries; <paramref name="unit"/> names the values (ms, MB/s, MiB).</summary>
    public static string Header(string unit) =>
        $"| measurement | n | median {unit} | p25 | p75 | min | max |\n|---|---:|---:|---:|---:|---:|---:|";

    public string Row(string name, string format = "0.0") => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Count} | **{Median.ToString(format, CultureInfo.InvariantCulture)}** | {P25.ToString(format, CultureInfo.InvariantCulture)} | {P75.ToString(format, CultureInfo.InvariantCulture)} | {Min.ToString(format, CultureInfo.InvariantCulture)} | {Max.ToString(format, CultureInfo.InvariantCulture)} |");

    /// <summary>Linear interpolation between closest ranks (the usual "type 7" definition).</summary>
    private static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
