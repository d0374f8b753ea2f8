using System.Globalization;
using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 25: the worker under a CPU quota equal to Lambda's share for each memory size (memory / 1,769 MB of one
/// vCPU), per size: the time the proxy adds to the first content event on each streamed surface, the worker's CPU
/// per warm request, cold start → first SSE byte, and the rate of a 10 MB stream; then the memory recommendation table
/// for docs/DEPLOY.md with Lambda's cost beside Bedrock's. Only the worker is limited, as on Lambda; the simulator,
/// emulators, dynalite and client keep the machine. Where cgroups cannot be written it says so and measures nothing.
/// </summary>
internal static class LambdaSizesBenchmark
{
    /// <summary>Lambda: "At 1,769 MB, a function has the equivalent of one vCPU" (docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html, read 2026-12-05).</summary>
    public const double MbPerVcpu = 1769;

    public static readonly int[] DefaultSizes = [128, 256, 512, 1024, 1769];

    // Prices, us-east-1, first tier (read 2026-12-05, /work research notes; URLs in docs/DEPLOY.md):
    // $0.0000166667 per GB-s x86_64 and 20 % less for arm64 ($0.0000133334), $0.20 per million requests
    // (https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html,
    //  https://aws.amazon.com/blogs/aws/aws-lambda-functions-powered-by-aws-graviton2-processor-run-your-functions-on-arm-and-get-up-to-34-better-price-performance/).
    private const double X86PerGbSecond = 0.0000166667;
    private const double Arm64PerGbSecond = 0.0000133334;
    private const double PerRequest = 0.20 / 1_000_000;

    /// <summary>The typical model priced beside Lambda: Claude Haiku 4.5, $1 / $5 per million input / output tokens (ShippedPrices).</summary>
    private const double ModelInputPerToken = 1.00 / 1_000_000;
    private const double ModelOutputPerToken = 5.00 / 1_000_000;
    private const int TypicalInputTokens = 1_000;
    private const int OutputTokensPerSecond = 80;
    private static readonly int[] StreamSeconds = [1, 10, 60];

    private const string ChunksModel = "sim.chunks:2." + BenchStack.Model;
    private const string ClaudeModel = "sim.chunks:2.anthropic.claude-haiku-4-5-20251001-v1:0";
    private static readonly byte[] OpenAiContent = "\"delta\":{\"content\":"u8.ToArray();
    private static readonly byte[] AnthropicDelta = "event: content_block_delta\n"u8.ToArray();
    private static readonly byte[] AnthropicEnd = "{\"type\":\"message_stop\"}\n\n"u8.ToArray();
    private static readonly string[] Surfaces = ["Converse SSE", "Bedrock-native stream", "OpenAI", "Anthropic"];

    public static async Task<string> RunAsync(
        BenchStack stack, IReadOnlyList<int> sizes, int requests, int coldRuns, int streamRounds, int periodUs, CancellationToken cancellationToken)
    {
        var original = stack.Options.Lambda.BootstrapPath ?? throw new InvalidOperationException("The stack has no bootstrap.");
        var scratch = Directory.CreateTempSubdirectory("lambda-sizes-");
        var results = new List<SizeResult>();
        string? skipped = null;
        try
        {
            // The full machine first (the reference every size is compared with), through the same wrapper.
            results.Add(await MeasureAsync(stack, null, null, CpuQuotaGroup.WriteWrapper(Path.Combine(scratch.FullName, "full"), original, null),
                requests, coldRuns, streamRounds, cancellationToken).ConfigureAwait(false));
            foreach (var size in sizes)
            {
                var share = size / MbPerVcpu;
                using var group = CpuQuotaGroup.TryCreate($"bedrock-proxy-bench-{size}", share, periodUs, out var reason);
                if (group is null)
                {
                    skipped = reason;
                    break;
                }

                var wrapper = CpuQuotaGroup.WriteWrapper(Path.Combine(scratch.FullName, $"at-{size}"), original, group);
                results.Add(await MeasureAsync(stack, size, group, wrapper, requests, coldRuns, streamRounds, cancellationToken).ConfigureAwait(false));
                // The worker leaves the group before the group is removed.
                await stack.RecycleAsync(original).ConfigureAwait(false);
            }
        }
        finally
        {
            await stack.RecycleAsync(original).ConfigureAwait(false);
            scratch.Delete(recursive: true);
        }

        return Report(results, requests, coldRuns, streamRounds, periodUs, skipped);
    }

    private static async Task<SizeResult> MeasureAsync(
        BenchStack stack, int? size, CpuQuotaGroup? group, string wrapper, int requests, int coldRuns, int streamRounds, CancellationToken cancellationToken)
    {
        var label = size is null ? "full machine" : $"{size} MB";
        await Console.Error.WriteLineAsync($"[bench] lambda-sizes: {label}").ConfigureAwait(false);
        var share = size is null ? 1.0 : size.Value / MbPerVcpu;
        // The pause lets the previous request's after-answer writes finish, which takes longer on a smaller share.
        var settle = TimeSpan.FromMilliseconds(Math.Min(400, 15 / share));
        var pid = await stack.RecycleAsync(wrapper).ConfigureAwait(false);
        if (group is not null)
        {
            // The wrapper joins the group a moment after the spawn returns.
            var id = pid.ToString(CultureInfo.InvariantCulture);
            for (var wait = 0; !File.ReadAllText(group.ProcsFile).Split('\n').Contains(id); wait++)
            {
                if (wait == 100)
                {
                    throw new InvalidOperationException($"The worker {pid} did not join {group.Location}.");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        var added = Surfaces.Select(_ => new List<double>()).ToArray();
        var cpu = Surfaces.Select(_ => new List<double>()).ToArray();
        var probes = Probes(stack, cancellationToken);
        for (var i = 0; i < TtfbComparison.Warmup + requests; i++)
        {
            for (var s = 0; s < Surfaces.Length; s++)
            {
                var before = WorkerCpu.Milliseconds(pid);
                var proxy = await probes[s].Proxy().ConfigureAwait(false);
                await Task.Delay(settle, cancellationToken).ConfigureAwait(false);
                var direct = await probes[s].Direct().ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(15), cancellationToken).ConfigureAwait(false);
                // The worker is idle during the direct call: the difference is the whole proxied invocation, usage writes included.
                var spent = WorkerCpu.Milliseconds(pid) - before;
                if (i >= TtfbComparison.Warmup)
                {
                    added[s].Add(proxy.FirstContentMs - direct.FirstContentMs);
                    cpu[s].Add(spent);
                }
            }
        }

        var rates = new List<double>();
        for (var round = 0; round < streamRounds + 1; round++)
        {
            using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(ThroughputBenchmark.Model, stream: true));
            var timing = await StreamProbe.ProxySseAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
            await Task.Delay(settle, cancellationToken).ConfigureAwait(false);
            if (round > 0)
            {
                rates.Add(ThroughputBenchmark.OutputBytes / 1e6 / (timing.TotalMs / 1000));
            }
        }

        var failed = new List<string>();
        var cold = await ColdFirstByteBenchmark.MeasureAsync(stack, wrapper, coldRuns, cancellationToken, failed).ConfigureAwait(false);
        return new SizeResult(size, share, [.. added.Select(Summary.Of)], [.. cpu.Select(Summary.Of)],
            cold.Count > 0 ? Summary.Of(cold.Select(c => c.FirstByteMs)) : null, cold.Count > 0 ? cold.Max(c => c.WaitedRoundTrips) : null,
            failed.Count, Summary.Of(rates));
    }

    private static (Func<Task<StreamTiming>> Proxy, Func<Task<StreamTiming>> Direct)[] Probes(BenchStack stack, CancellationToken cancellationToken)
    {
        var directBody = BenchStack.DirectConverseBody();
        var nativePath = $"/model/{Uri.EscapeDataString(ChunksModel)}/converse-stream";
        var chat = $$"""{"model":"{{ChunksModel}}","stream":true,"messages":[{"role":"user","content":"Hello there"}]}""";
        var messages = $$"""{"model":"{{ClaudeModel}}","stream":true,"max_tokens":256,"messages":[{"role":"user","content":"Hello there"}]}""";
        var invokeBody = Encoding.UTF8.GetBytes(
            """{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":"Hello there"}]}""");
        Task<StreamTiming> Direct() => StreamProbe.DirectAsync(stack.Direct, ChunksModel, directBody, cancellationToken);
        return
        [
            (async () =>
            {
                using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(ChunksModel, stream: true));
                return await StreamProbe.ProxySseAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
            }, Direct),
            (async () =>
            {
                using var request = stack.ProxyRequest(nativePath, Encoding.UTF8.GetString(directBody));
                return await StreamProbe.ProxyEventStreamAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
            }, Direct),
            (async () =>
            {
                using var request = stack.ProxyRequest("/v1/chat/completions", chat);
                return await StreamProbe.ProxySseAsync(stack.Http, request, OpenAiContent, cancellationToken).ConfigureAwait(false);
            }, Direct),
            (async () =>
            {
                using var request = stack.ProxyRequest("/v1/messages", messages);
                return await StreamProbe.ProxySseAsync(stack.Http, request, AnthropicDelta, AnthropicEnd, cancellationToken).ConfigureAwait(false);
            }, () => StreamProbe.DirectInvokeAsync(stack.Direct, ClaudeModel, invokeBody, cancellationToken)),
        ];
    }

    private static string Report(List<SizeResult> results, int requests, int coldRuns, int streamRounds, int periodUs, string? skipped)
    {
        var report = new StringBuilder();
        report.AppendLine("### At Lambda's CPU shares (issue 25)");
        report.AppendLine();
        report.AppendLine($"The worker runs under a cgroup CFS quota of memory / {MbPerVcpu:0} MB of one CPU (period {periodUs / 1000.0:0.#} ms; "
            + "Lambda does not publish its period), as Lambda gives a function CPU in proportion to its memory; the simulator, the emulators, "
            + "dynalite and the client keep the whole machine. Each worker is started by a shell script that joins the cgroup and execs the "
            + "Native AOT bootstrap (the full-machine row uses the same script without the cgroup). Per size: the time the proxy adds to the "
            + $"first content event (proxy minus the direct call made right after it, per pair; {requests} pairs per surface after "
            + $"{TtfbComparison.Warmup} warm-up rounds, demo customer with limits), the worker's CPU per warm request (sum of its threads' "
            + "/proc schedstat, the whole invocation with its usage writes), cold start → first SSE byte "
            + $"({coldRuns} runs, bench coldfirstbyte; a run that failed, e.g. a 5xx at a small share on a loaded machine, is counted and left out) and the rate of a 10 MB SSE answer ({streamRounds} rounds after one warm-up).");
        report.AppendLine();
        if (skipped is not null)
        {
            report.AppendLine($"**Skipped the CPU-share rows:** cgroups cannot be written here ({skipped}). Only the full-machine row was measured.");
            report.AppendLine();
        }

        report.AppendLine("| memory | CPU share | " + string.Join(" | ", Surfaces.Select(s => $"added TTFB {s}, ms")) + " | "
            + string.Join(" | ", Surfaces.Select(s => $"CPU/request {s}, ms")) + " | cold → first SSE byte, ms | DynamoDB round trips answered before the Bedrock call, cold (max; an overlapped admission write can be one) | 10 MB stream, MB/s |");
        report.AppendLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", (Surfaces.Length * 2) + 3)));
        foreach (var r in results)
        {
            report.AppendLine($"| {r.Label} | {Invariant.F(r.Share, "0.000")} | "
                + string.Join(" | ", r.AddedTtfb.Select(a => Spread(a, "0.0"))) + " | "
                + string.Join(" | ", r.CpuPerRequest.Select(c => Spread(c, "0.00"))) + " | "
                + $"{(r.ColdFirstByte is { } cold ? Spread(cold, "0.0") : "–")}{(r.ColdFailures > 0 ? $" ({r.ColdFailures} failed)" : "")} | "
                + $"{r.ColdRoundTrips?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {Spread(r.StreamRate, "0.0")} |");
        }

        report.AppendLine();
        report.AppendLine("Each cell: median (p25–p75). Targets (issue 25): added TTFB ≤ 3 ms at 256 MB and ≤ 10 ms at 128 MB on every surface; "
            + "cold start → first SSE byte ≤ 20 ms at full CPU; at most 2 DynamoDB round trips before Bedrock on a fresh instance.");
        foreach (var r in results.Where(r => r.Size is 128 or 256))
        {
            var target = r.Size == 128 ? 10 : 3;
            var worst = r.AddedTtfb.Max(a => a.Median);
            report.AppendLine($"{r.Label}: worst surface median {Invariant.F(worst, "0.0")} ms, target ≤ {target} ms " + (worst <= target ? "met." : "**missed**."));
        }

        report.AppendLine();
        report.Append(CostTable(results));
        return report.ToString();
    }

    /// <summary>The memory recommendation table of docs/DEPLOY.md: per size and architecture, added latency, CPU and cost.</summary>
    private static string CostTable(List<SizeResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("#### Memory size, latency and cost (for docs/DEPLOY.md)");
        table.AppendLine();
        table.AppendLine("Lambda's cost per million requests = requests × ($0.20 / 10^6 + memory in GB × billed seconds × the GB-second price: "
            + $"${Invariant.F(X86PerGbSecond, "0.0000000000")} x86_64, ${Invariant.F(Arm64PerGbSecond, "0.0000000000")} arm64, us-east-1, first tier), where billed seconds = the stream's length + the "
            + "proxy's CPU per request ÷ the CPU share (the worst surface; the CPU-bound time the proxy adds, before and after the answer). "
            + "Response-streaming bandwidth beyond 6 MB per answer is not included (no published per-GB figure was found). "
            + $"Bedrock beside it: Claude Haiku 4.5 (${ModelInputPerToken * 1e6:0.00} / ${ModelOutputPerToken * 1e6:0.00} per million input / output tokens), "
            + $"{TypicalInputTokens:N0} input tokens and {OutputTokensPerSecond} output tokens per second of stream (an assumption). "
            + "arm64 latency and CPU were not measured (an x86_64 machine; emulation says nothing about time): its cost rows use the "
            + "x86_64 CPU time, an assumption, and differ from x86_64 only in price.");
        table.AppendLine();
        table.AppendLine("| memory | architecture | added TTFB, worst surface (median ms) | CPU per request (median ms) | "
            + string.Join(" | ", StreamSeconds.Select(s => $"Lambda $/M requests, {s} s stream")) + " | "
            + string.Join(" | ", StreamSeconds.Select(s => $"Bedrock $/M requests, {s} s")) + " |");
        table.AppendLine("|---|---|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", StreamSeconds.Length * 2)));
        foreach (var r in results.Where(r => r.Size is not null))
        {
            foreach (var (arch, price) in new[] { ("x86_64", X86PerGbSecond), ("arm64", Arm64PerGbSecond) })
            {
                var cpuMs = r.CpuPerRequest.Max(c => c.Median);
                var overheadSeconds = cpuMs / r.Share / 1000;
                var lambda = StreamSeconds.Select(s => 1e6 * (PerRequest + (r.Size!.Value / 1024.0 * (s + overheadSeconds) * price)));
                var bedrock = StreamSeconds.Select(s => 1e6 * ((TypicalInputTokens * ModelInputPerToken) + (s * OutputTokensPerSecond * ModelOutputPerToken)));
                table.AppendLine($"| {r.Size} MB | {arch} | {(arch == "x86_64" ? Invariant.F(r.AddedTtfb.Max(a => a.Median), "0.0") : "not measured")} | "
                    + $"{(arch == "x86_64" ? Invariant.F(cpuMs, "0.00") : "not measured")} | "
                    + string.Join(" | ", lambda.Select(d => Dollars(d))) + " | " + string.Join(" | ", bedrock.Select(d => Dollars(d))) + " |");
            }
        }

        return table.ToString();
    }

    private static string Dollars(double value) => "$" + value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);

    private static string Spread(Summary s, string format) =>
        $"{Invariant.F(s.Median, format)} ({Invariant.F(s.P25, format)}–{Invariant.F(s.P75, format)})";

    private sealed record SizeResult(
        int? Size, double Share, Summary[] AddedTtfb, Summary[] CpuPerRequest, Summary? ColdFirstByte, int? ColdRoundTrips, int ColdFailures, Summary StreamRate)
    {
        public string Label => Size is null ? "full machine" : $"{Size} MB";
    }
}
