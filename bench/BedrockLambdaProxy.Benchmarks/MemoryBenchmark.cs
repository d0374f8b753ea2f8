using System.Globalization;
using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 3c: the bootstrap's peak resident memory (VmHWM in /proc/&lt;pid&gt;/status) after a fresh worker has
/// answered one small request, and after a fresh worker has streamed a 10 MB answer as its first request.
/// </summary>
internal static class MemoryBenchmark
{
    /// <summary>A 5-delta answer without pacing, so the first request's time is the function's and the stack's alone.</summary>
    private const string SmallModel = "sim.delay:0." + BenchStack.Model;

    public static async Task<string> RunAsync(BenchStack stack, IReadOnlyList<(string Name, string Bootstrap)> builds, int runs, CancellationToken cancellationToken)
    {
        var report = new StringBuilder();
        report.AppendLine("### Peak memory of the bootstrap (issues 3c and 9)");
        report.AppendLine();
        report.AppendLine("VmHWM (peak resident set, from /proc/<pid>/status of the worker process) read after the request completed. "
            + "Each run starts a fresh worker (a new bootstrap process), sends it GET /health and then one proxied request through "
            + $"the Function URL, and reads the peak. \"small\": a 5-delta streamed /converse answer without pacing (`{SmallModel}`); \"10 MB\": `{ThroughputBenchmark.Model}` streamed as SSE. "
            + $"{runs} runs per row. Targets streaming 10 MB: ≤ 40 MiB for Native AOT (issue 9), < 64 MiB for the trimmed ReadyToRun build (issue 3c).");
        report.AppendLine();
        report.AppendLine(Summary.Header("MiB"));
        var cpuRows = new List<string>();
        var verdicts = new List<string>();
        var firstRows = new List<string>();
        foreach (var (name, bootstrap) in builds)
        {
            foreach (var (label, model) in new[] { ("small", SmallModel), ("10 MB", ThroughputBenchmark.Model) })
            {
                var peaks = new List<double>();
                var cpu = new List<double>();
                var firstRequestMs = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    var pid = await stack.RecycleAsync(bootstrap).ConfigureAwait(false);
                    // /health first, so the CPU count below starts after the process has initialised.
                    using (var health = await stack.Http.GetAsync(new Uri(stack.Dev.Lambda.FunctionUrl, "health"), cancellationToken).ConfigureAwait(false))
                    {
                        health.EnsureSuccessStatusCode();
                    }

                    var cpuBefore = ProcessCpu.Milliseconds(pid);
                    using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(model, stream: true));
                    var timing = await StreamProbe.ProxySseAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
                    firstRequestMs.Add(timing.TotalMs);
                    peaks.Add(ReadKiB(pid, "VmHWM") / 1024.0);
                    cpu.Add(ProcessCpu.Milliseconds(pid) - cpuBefore);
                }

                var peak = Summary.Of(peaks);
                report.AppendLine(peak.Row($"{name}, {label}"));
                if (label == "10 MB")
                {
                    // Native AOT has its own, tighter target: no JIT, no type loader, no IL in memory.
                    var limit = name.Contains("aot", StringComparison.OrdinalIgnoreCase) ? 40 : 64;
                    verdicts.Add($"{name} streaming 10 MB: median peak {Invariant.F(peak.Median, "0.0")} MiB, max {Invariant.F(peak.Max, "0.0")} MiB "
                        + (peak.Max <= limit ? $"(within {limit} MiB)" : $"(**over {limit} MiB**)") + ".");
                }
                cpuRows.Add(Summary.Of(cpu).Row($"{name}, {label}: CPU ms of the request", "0"));
                if (label == "small")
                {
                    firstRows.Add(Summary.Of(firstRequestMs).Row($"{name}: first proxied request of a fresh worker, whole answer", "0.0"));
                }
            }
        }

        report.AppendLine();
        report.AppendLine(string.Join(" ", verdicts) + " Targets: ≤ 40 MiB for Native AOT, < 64 MiB for trimmed ReadyToRun; the framework-dependent build has none.");
        report.AppendLine();
        report.AppendLine("CPU time the worker used for that one request (user + system from /proc/<pid>/stat, 10 ms ticks; "
            + "after a GET /health, so start-up is not counted), the first proxied request of a fresh process (JIT included for "
            + "the framework-dependent build):");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        foreach (var row in cpuRows)
        {
            report.AppendLine(row);
        }

        report.AppendLine();
        report.AppendLine("The same fresh workers' first proxied request (\"small\", no pacing): "
            + "what a caller waits for on top of the cold start measured by bench/cold-start.sh (which stops at /health, before the "
            + "DynamoDB client, the key and customer reads and the first Bedrock call exist):");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        foreach (var row in firstRows)
        {
            report.AppendLine(row);
        }

        return report.ToString();
    }

    /// <summary>A "Name:   12345 kB" line of /proc/&lt;pid&gt;/status.</summary>
    public static long ReadKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var digits = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found for process {pid}.");
    }
}
