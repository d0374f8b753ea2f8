using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issues 3b / 11 / 22 / 24: a large streamed answer (10 MB of text in 1000-byte deltas, no pacing) read to its end six ways
/// in each round: through the proxy as SSE (POST /converse, stream:true), through the proxy as Bedrock's own event
/// stream (POST /model/{id}/converse-stream, frames passed through), through the OpenAI surface (POST /v1/chat/completions,
/// stream:true, each event translated to a chat.completion.chunk), and straight from the simulator (ConverseStream, the
/// baseline of all three); and a Claude answer through the Anthropic surface (POST /v1/messages, stream:true) against
/// InvokeModelWithResponseStream straight from the simulator with the same body. Besides the
/// rate it counts the CPU the worker and this process (simulator, Lambda emulator, client) spent, and the bytes the
/// worker allocated (its <see cref="LambdaBootstrap.ResourceLogVariable"/> log line).
/// </summary>
internal static class ThroughputBenchmark
{
    public const int OutputBytes = 10_000_000;

    /// <summary>Rounds not counted: JIT tiering in the worker and in this process settles within them.</summary>
    public const int WarmUpRounds = 5;

    public static readonly string Model = $"sim.bytes:{OutputBytes}.{BenchStack.Model}";

    /// <summary>The Claude model of the Anthropic rows: the simulator answers it in Anthropic's own chunk format.</summary>
    public static readonly string ClaudeModel = $"sim.bytes:{OutputBytes}.anthropic.claude-haiku-4-5-20251001-v1:0";

    /// <summary>The first text delta's SSE event on the Anthropic surface, and the event that ends a complete stream.</summary>
    private static readonly byte[] AnthropicDelta = "event: content_block_delta\n"u8.ToArray();
    private static readonly byte[] AnthropicEnd = "{\"type\":\"message_stop\"}\n\n"u8.ToArray();

    /// <summary>The first chunk carrying text on the OpenAI surface (the role chunk before it has none), as in <see cref="OpenAiTtfbBenchmark"/>.</summary>
    private static readonly byte[] OpenAiContent = "\"delta\":{\"content\":"u8.ToArray();

    private const double Megabytes = OutputBytes / 1e6;

    private static readonly string[] Kinds =
    [
        "through proxy (SSE, Function URL)", "through proxy (event stream pass-through, Function URL)", "direct from simulator (event stream)",
        "through proxy (Anthropic /v1/messages SSE, Function URL)", "direct from simulator (InvokeModelWithResponseStream, Claude)",
        "through proxy (OpenAI /v1/chat/completions SSE, Function URL)",
    ];

    /// <summary>The kinds read straight from the simulator: the baselines, with no worker CPU of their own.</summary>
    private static bool IsDirect(int kind) => kind is 2 or 4;

    /// <param name="converseOnly">Only the first three kinds (the Converse rows): for a worker without the Anthropic and OpenAI surfaces.</param>
    public static async Task<string> RunAsync(BenchStack stack, int runs, bool converseOnly, CancellationToken cancellationToken)
    {
        var kinds = converseOnly ? 3 : Kinds.Length;
        var samples = Kinds.Select(_ => new List<Sample>()).ToArray();
        var directBody = BenchStack.DirectConverseBody();
        var nativePath = $"/model/{Uri.EscapeDataString(Model)}/converse-stream";
        const string ClaudeMessages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]";
        var anthropicBody = $$"""{"model":"{{ClaudeModel}}","stream":true,"max_tokens":4096,{{ClaudeMessages}}}""";
        var directInvokeBody = Encoding.UTF8.GetBytes($$"""{"anthropic_version":"bedrock-2023-05-31","max_tokens":4096,{{ClaudeMessages}}}""");
        var chatBody = $$"""{"model":"{{Model}}","stream":true,"messages":[{"role":"user","content":"Hello there"}]}""";
        var logsResources = true;
        // A new order every round, drawn from a fixed seed: each kind follows each other one about equally often.
        // (Turning one order by one each round kept every kind behind the same neighbour in five rounds of six, so
        // the OpenAI row nearly always ran right after the costliest request, the direct Claude stream, and the
        // benchmark process spent about 3 ms more CPU during it than during the SSE row; shuffled, a little less.)
        var shuffle = new Random(20261205);
        var order = Enumerable.Range(0, kinds).ToArray();
        for (var round = 0; round < WarmUpRounds + runs; round++)
        {
            shuffle.Shuffle(order);
            foreach (var kind in order)
            {
                var worker = stack.Dev.Lambda.WorkerProcessIds[0] ?? throw new InvalidOperationException("No worker.");
                var workerCpu = ProcessCpu.Milliseconds(worker);
                var hostCpu = Environment.CpuUsage.TotalTime;
                StreamTiming timing;
                try
                {
                    timing = kind switch
                    {
                        0 => await StreamProbe.ProxySseAsync(stack.Http, stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(Model, stream: true)), cancellationToken).ConfigureAwait(false),
                        1 => await StreamProbe.ProxyEventStreamAsync(stack.Http, stack.ProxyRequest(nativePath, Encoding.UTF8.GetString(directBody)), cancellationToken).ConfigureAwait(false),
                        2 => await StreamProbe.DirectAsync(stack.Direct, Model, directBody, cancellationToken).ConfigureAwait(false),
                        3 => await StreamProbe.ProxySseAsync(stack.Http, stack.ProxyRequest("/v1/messages", anthropicBody), AnthropicDelta, AnthropicEnd, cancellationToken).ConfigureAwait(false),
                        5 => await StreamProbe.ProxySseAsync(stack.Http, stack.ProxyRequest("/v1/chat/completions", chatBody), OpenAiContent, cancellationToken).ConfigureAwait(false),
                        _ => await StreamProbe.DirectInvokeAsync(stack.Direct, ClaudeModel, directInvokeBody, cancellationToken).ConfigureAwait(false),
                    };
                }
                catch (InvalidOperationException e) when (round < WarmUpRounds)
                {
                    // A cold worker on a loaded machine can miss the 2 s DynamoDB budget of its first key lookup
                    // (503); warm-up requests only have to warm, so it is noted and the round goes on.
                    await Console.Error.WriteLineAsync($"[bench] warm-up request failed: {e.Message}").ConfigureAwait(false);
                    continue;
                }

                // The worker's line comes after its usage writes, so its CPU below covers the whole invocation.
                long? allocated = timing.RequestId is { } id && logsResources
                    ? await WorkerAllocatedBytesAsync(stack, id, cancellationToken).ConfigureAwait(false)
                    : null;
                // A bootstrap from before the resource log (a baseline build) never writes the line: stop waiting for it.
                logsResources &= allocated is not null || timing.RequestId is null;
                var sample = new Sample(
                    timing,
                    ProcessCpu.Milliseconds(worker) - workerCpu,
                    (Environment.CpuUsage.TotalTime - hostCpu).TotalMilliseconds,
                    allocated);
                if (round >= WarmUpRounds)
                {
                    samples[kind].Add(sample);
                }

                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[bench] round {round} {Kinds[kind]}: {timing.TotalMs:0} ms, worker CPU {sample.WorkerCpuMs:0} ms, "
                    + $"this process CPU {sample.HostCpuMs:0} ms, worker allocated {sample.WorkerAllocatedBytes / 1024 ?? -1} KB")).ConfigureAwait(false);

                await Task.Delay(15, cancellationToken).ConfigureAwait(false);
            }
        }

        return Report(samples, runs);
    }

    private static string Report(List<Sample>[] samples, int runs)
    {
        var (sse, native, direct, anthropic, directInvoke, openAi) = (samples[0], samples[1], samples[2], samples[3], samples[4], samples[5]);
        var report = new StringBuilder();
        report.AppendLine("### Streamed throughput (issues 3b, 11, 22, 24)");
        report.AppendLine();
        report.AppendLine($"One answer of {OutputBytes:N0} bytes of text (model id `{Model}`: 10,000 deltas of 1,000 bytes, no delay "
            + "between them), read to its end three ways: through the proxy as SSE (`POST /converse`, `stream:true`), through the proxy "
            + "as Bedrock's own event stream (`POST /model/{id}/converse-stream`, frames passed through byte for byte, read and CRC-checked "
            + "by the client as an SDK would), through the OpenAI surface (`POST /v1/chat/completions`, `stream:true`, each event translated "
            + "to a `chat.completion.chunk`), and straight from the simulator (SigV4, the function's own client: the baseline of those "
            + "three); and the same size of "
            + $"Claude answer (`{ClaudeModel}`) through the Anthropic surface (`POST /v1/messages`, `stream:true`, each chunk relayed as an "
            + "Anthropic SSE event) against InvokeModelWithResponseStream straight from the simulator. MB/s = 10^6 text bytes per "
            + $"second from sending the request to the last byte. {runs} rounds after {WarmUpRounds} warm-up rounds; each round runs the "
            + "six once, in a new random order each round (fixed seed), 15 ms apart. The per-round ratio varies a lot (the six share 2 cores "
            + "with the simulator and the emulators), so a median over 30 rounds moves by up to 0.1 between runs; over 150 rounds "
            + "its confidence interval is about ±0.03.");
        report.AppendLine();
        report.AppendLine(Summary.Header("MB/s"));
        for (var k = 0; k < Kinds.Length; k++)
        {
            if (samples[k].Count == 0)
            {
                continue;
            }

            report.AppendLine(Summary.Of(samples[k].Select(s => Megabytes / s.Timing.TotalMs * 1000)).Row(Kinds[k], "0.0"));
        }

        report.AppendLine();
        report.AppendLine("Ratio proxy / direct of the rate, per round (each proxy run against the direct run of the same round):");
        report.AppendLine();
        report.AppendLine(Summary.Header("ratio"));
        var perRound = new[]
        {
            ("SSE", sse.Zip(direct, (p, d) => d.Timing.TotalMs / p.Timing.TotalMs).ToList()),
            ("event-stream pass-through", native.Zip(direct, (p, d) => d.Timing.TotalMs / p.Timing.TotalMs).ToList()),
            ("Anthropic /v1/messages", anthropic.Zip(directInvoke, (p, d) => d.Timing.TotalMs / p.Timing.TotalMs).ToList()),
            ("OpenAI /v1/chat/completions", openAi.Zip(direct, (p, d) => d.Timing.TotalMs / p.Timing.TotalMs).ToList()),
        }.Where(row => row.Item2.Count > 0).ToArray();
        foreach (var (name, ratios) in perRound)
        {
            report.AppendLine(Summary.Of(ratios).Row($"{name} / direct", "0.00"));
        }

        report.AppendLine();
        foreach (var (name, ratios) in perRound)
        {
            var median = Summary.Of(ratios).Median;
            var (low, high) = Summary.MedianConfidence95(ratios);
            report.AppendLine($"Per-round median {name} / direct: **{Invariant.F(median, "0.00")}**, 95 % confidence interval "
                + $"{Invariant.F(low, "0.00")}–{Invariant.F(high, "0.00")} (order statistics over {ratios.Count} rounds; target ≥ 0.90: "
                + $"{(median >= 0.90 ? "met" : "**missed**")}{(low < 0.90 && high >= 0.90 ? ", the interval straddles it" : string.Empty)}).");
        }

        report.AppendLine();
        var directMedian = Summary.Of(direct.Select(s => s.Timing.TotalMs)).Median;
        var directInvokeMedian = directInvoke.Count == 0 ? 0 : Summary.Of(directInvoke.Select(s => s.Timing.TotalMs)).Median;
        foreach (var (name, list, baseline) in new[] { ("SSE", sse, directMedian), ("event-stream pass-through", native, directMedian), ("Anthropic /v1/messages", anthropic, directInvokeMedian), ("OpenAI /v1/chat/completions", openAi, directMedian) })
        {
            if (list.Count == 0)
            {
                continue;
            }

            var ratio = baseline / Summary.Of(list.Select(s => s.Timing.TotalMs)).Median;
            report.AppendLine($"Median rate {name} / direct: **{Invariant.F(ratio, "0.00")}** (target ≥ 0.90: {(ratio >= 0.90 ? "met" : "**missed**")}).");
        }

        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        for (var k = 0; k < Kinds.Length; k++)
        {
            if (samples[k].Count == 0)
            {
                continue;
            }

            report.AppendLine(Summary.Of(samples[k].Select(s => s.Timing.TotalMs)).Row($"10 MB {Kinds[k]}, whole answer", "0"));
        }

        report.AppendLine();
        report.AppendLine("CPU and allocations per MB of text, summed over the counted runs: the worker (the bootstrap process, user + "
            + "system from /proc/<pid>/stat in 10 ms ticks, for the whole invocation including its usage writes), this process (the "
            + "simulator, the Lambda emulator's Function URL and Runtime API, and the client: the same simulator and client work in "
            + "every row, plus the emulator's relaying in the proxy rows), and the bytes the worker allocated (GC.GetTotalAllocatedBytes, "
            + $"logged per invocation by the bootstrap when {LambdaBootstrap.ResourceLogVariable}=1, which the benchmark sets).");
        report.AppendLine();
        report.AppendLine("| measurement | worker CPU ms/MB | this process CPU ms/MB | worker allocated KB/MB |");
        report.AppendLine("|---|---:|---:|---:|");
        for (var k = 0; k < Kinds.Length; k++)
        {
            if (samples[k].Count == 0)
            {
                continue;
            }

            var list = samples[k];
            var mb = Megabytes * list.Count;
            var isDirect = IsDirect(k);
            var workerCpu = isDirect ? "–" : Invariant.F(list.Sum(s => s.WorkerCpuMs) / mb, "0.00");
            var allocated = isDirect || list.Any(s => s.WorkerAllocatedBytes is null)
                ? "–"
                : Invariant.F(list.Sum(s => (double)s.WorkerAllocatedBytes!.Value) / 1024 / mb, "0.0");
            report.AppendLine($"| {Kinds[k]} | {workerCpu} | {Invariant.F(list.Sum(s => s.HostCpuMs) / mb, "0.00")} | {allocated} |");
        }

        report.AppendLine();
        report.AppendLine($"Wire bytes per answer: proxy SSE {sse[0].Timing.WireBytes:N0}, proxy event stream {native[0].Timing.WireBytes:N0}, "
            + $"direct event stream {direct[0].Timing.WireBytes:N0}"
            + (anthropic.Count == 0 ? "." : $", proxy Anthropic SSE {anthropic[0].Timing.WireBytes:N0}, direct InvokeModelWithResponseStream {directInvoke[0].Timing.WireBytes:N0}, "
                + $"proxy OpenAI SSE {openAi[0].Timing.WireBytes:N0}."));
        return report.ToString();
    }

    /// <summary>Waits for the worker's "invocation resources" line of <paramref name="requestId"/> and returns its allocatedBytes (null: none came).</summary>
    private static async Task<long?> WorkerAllocatedBytesAsync(BenchStack stack, string requestId, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            foreach (var line in stack.Dev.Lambda.WorkerLogs)
            {
                if (line.Text.Contains("\"invocation resources\"", StringComparison.Ordinal)
                    && line.Text.Contains(requestId, StringComparison.Ordinal))
                {
                    using var json = JsonDocument.Parse(line.Text);
                    return json.RootElement.GetProperty("allocatedBytes").GetInt64();
                }
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync($"[bench] the worker logged no resources for request {requestId}").ConfigureAwait(false);
        return null;
    }

    private readonly record struct Sample(StreamTiming Timing, double WorkerCpuMs, double HostCpuMs, long? WorkerAllocatedBytes);
}
