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

    /// <summary>
    /// A distribution-free 95 % confidence interval for the median: the order statistics at ranks n/2 ∓ 0.98√n (the
    /// normal approximation of the binomial; good from about 20 samples). It shows whether a median that lands near a
    /// target could as well have landed on the other side of it.
    /// </summary>
    public static (double Low, double High) MedianConfidence95(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        var halfWidth = 0.98 * Math.Sqrt(sorted.Count);
        var low = (int)Math.Floor((sorted.Count / 2.0) - halfWidth);
        var high = (int)Math.Ceiling((sorted.Count / 2.0) + 1 + halfWidth);
        // Ranks are 1-based; clamped, so a small sample reports its whole range.
        return (sorted[Math.Clamp(low, 1, sorted.Count) - 1], sorted[Math.Clamp(high, 1, sorted.Count) - 1]);
    }

    /// <summary>Linear interpolation between closest ranks (the usual "type 7" definition).</summary>
    private static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
