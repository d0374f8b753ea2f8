using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// The surface TTFB benchmarks' shared method: a streamed request through the proxy and the same answer direct to the
/// simulator, in turn, one at a time, after warm-up rounds; then the table and the ratio of the medians.
/// </summary>
internal static class TtfbComparison
{
    public const int Warmup = 5;

    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(15);

    public static async Task<(List<StreamTiming> Proxy, List<StreamTiming> Direct)> RunAsync(
        int requests, Func<Task<StreamTiming>> viaProxy, Func<Task<StreamTiming>> direct, CancellationToken cancellationToken)
    {
        var proxy = new List<StreamTiming>();
        var straight = new List<StreamTiming>();
        for (var i = 0; i < requests + Warmup; i++)
        {
            var p = await viaProxy().ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var d = await direct().ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            if (i >= Warmup)
            {
                proxy.Add(p);
                straight.Add(d);
            }
        }

        return (proxy, straight);
    }

    /// <summary>The summary rows and the ratio line against <paramref name="target"/>.</summary>
    public static void Report(StringBuilder report, List<StreamTiming> proxy, List<StreamTiming> direct, string path, double target)
    {
        var proxyFirst = Summary.Of(proxy.Select(t => t.FirstContentMs));
        var directFirst = Summary.Of(direct.Select(t => t.FirstContentMs));
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(proxyFirst.Row($"TTFB through {path}"));
        report.AppendLine(directFirst.Row("TTFB direct to simulator"));
        report.AppendLine(Summary.Of(proxy.Select(t => t.TotalMs)).Row($"whole stream through {path}"));
        report.AppendLine(Summary.Of(direct.Select(t => t.TotalMs)).Row("whole stream direct"));
        report.AppendLine();
        var ratio = proxyFirst.Median / directFirst.Median;
        report.AppendLine($"Ratio proxy/direct of the median TTFB: **{Invariant.F(ratio, "0.000")}** (target ≤ {Invariant.F(target, "0.00")}: "
            + (ratio <= target ? "met" : "**missed**") + $"); p25 ratio {Invariant.F(proxyFirst.P25 / directFirst.P25, "0.000")}, "
            + $"p75 ratio {Invariant.F(proxyFirst.P75 / directFirst.P75, "0.000")}; "
            + $"median added by the proxy {Invariant.F(proxyFirst.Median - directFirst.Median, "0.0")} ms.");
    }
}
