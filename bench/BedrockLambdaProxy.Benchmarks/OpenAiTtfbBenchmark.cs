using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 10: time to the first content chunk through the OpenAI-compatible surface (Function URL,
/// POST /v1/chat/completions, stream:true, a customer with limits) against ConverseStream straight to
/// the simulator, measured exactly as <see cref="TtfbBenchmark"/> does, the two kinds in turn.
/// </summary>
internal static class OpenAiTtfbBenchmark
{
    private const string Model = "sim.chunks:2." + BenchStack.Model;

    /// <summary>
    /// The first chunk that carries text: the role chunk before it is <c>"delta":{"role":"assistant","content":""}</c>,
    /// so <c>"delta":{"content":</c> first appears in the chunk translated from the first contentBlockDelta.
    /// </summary>
    private static readonly byte[] FirstContentChunk = "\"delta\":{\"content\":"u8.ToArray();

    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(15);

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var proxy = new List<StreamTiming>();
        var direct = new List<StreamTiming>();
        var directBody = BenchStack.DirectConverseBody();
        var chat = $$"""{"model":"{{Model}}","stream":true,"messages":[{"role":"user","content":"Hello there"}]}""";
        const int Warmup = 5;
        for (var i = 0; i < requests + Warmup; i++)
        {
            using var request = stack.ProxyRequest("/v1/chat/completions", chat);
            var viaProxy = await StreamProbe.ProxySseAsync(stack.Http, request, FirstContentChunk, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var straight = await StreamProbe.DirectAsync(stack.Direct, Model, directBody, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            if (i >= Warmup)
            {
                proxy.Add(viaProxy);
                direct.Add(straight);
            }
        }

        var proxyFirst = Summary.Of(proxy.Select(t => t.FirstContentMs));
        var directFirst = Summary.Of(direct.Select(t => t.FirstContentMs));
        var report = new StringBuilder();
        report.AppendLine("### Time to first content chunk, OpenAI-compatible surface (issue 10)");
        report.AppendLine();
        report.AppendLine("TTFB as in the section above, through `POST /v1/chat/completions` with `stream:true` (the request "
            + "translated to ConverseStream, each event translated back to a `chat.completion.chunk`): until the client has the "
            + "whole first chunk carrying text (`\"delta\":{\"content\":…}` up to the blank line ending the SSE event), against the "
            + $"first `contentBlockDelta` frame of ConverseStream direct to the simulator. Model id `{Model}`, the demo customer "
            + $"(with limits), {requests} requests each after {Warmup} warm-up rounds, alternating, one at a time.");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(proxyFirst.Row("TTFB through /v1/chat/completions"));
        report.AppendLine(directFirst.Row("TTFB direct to simulator"));
        report.AppendLine(Summary.Of(proxy.Select(t => t.TotalMs)).Row("whole stream through /v1/chat/completions"));
        report.AppendLine(Summary.Of(direct.Select(t => t.TotalMs)).Row("whole stream direct"));
        report.AppendLine();
        var ratio = proxyFirst.Median / directFirst.Median;
        report.AppendLine($"Ratio proxy/direct of the median TTFB: **{Invariant.F(ratio, "0.000")}** (target ≤ 1.10: "
            + (ratio <= 1.10 ? "met" : "**missed**") + $"); p25 ratio {Invariant.F(proxyFirst.P25 / directFirst.P25, "0.000")}, "
            + $"p75 ratio {Invariant.F(proxyFirst.P75 / directFirst.P75, "0.000")}; "
            + $"median added by the proxy {Invariant.F(proxyFirst.Median - directFirst.Median, "0.0")} ms.");
        return report.ToString();
    }
}
