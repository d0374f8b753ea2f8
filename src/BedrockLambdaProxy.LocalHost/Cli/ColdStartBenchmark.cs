using System.Diagnostics;
using System.Globalization;

namespace BedrockLambdaProxy.LocalHost.Cli;

/// <summary>
/// Measures cold starts with the stack already running: each run kills the worker, starts a
/// fresh bootstrap and times Process.Start → the first complete response through the Function
/// URL front. The stack's own start-up is outside every measurement.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(LocalStack stack, int runs, string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var target = new Uri(stack.FunctionUrl, path.TrimStart('/'));
        var samples = new List<double>();
        var lastBody = "";
        for (var run = 1; run <= runs; run++)
        {
            var started = await stack.RecycleWorkersAsync().ConfigureAwait(false);
            using var response = await client.GetAsync(target, cancellationToken).ConfigureAwait(false);
            lastBody = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"run {run}: {path} answered {(int)response.StatusCode}").ConfigureAwait(false);
                return 1;
            }

            samples.Add(elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: {elapsed:0.0} ms"));
        }

        // Which build answered (GET /health names its architecture and whether it is Native AOT).
        Console.WriteLine($"last answer: {lastBody}");
        samples.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT runs={samples.Count} median={Percentile(samples, 0.5):0.0} p25={Percentile(samples, 0.25):0.0} p75={Percentile(samples, 0.75):0.0} min={samples[0]:0.0} max={samples[^1]:0.0}"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
