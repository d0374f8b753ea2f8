using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 3b: a large streamed answer (10 MB of text in 1000-byte deltas, no pacing) through the proxy as SSE,
/// and for reference the same ConverseStream answer read straight from the simulator.
/// </summary>
internal static class ThroughputBenchmark
{
    public const int OutputBytes = 10_000_000;

    public static readonly string Model = $"sim.bytes:{OutputBytes}.{BenchStack.Model}";

    public static async Task<string> RunAsync(BenchStack stack, int runs, CancellationToken cancellationToken)
    {
        var proxy = new List<StreamTiming>();
        var direct = new List<StreamTiming>();
        var directBody = BenchStack.DirectConverseBody();
        for (var i = 0; i <= runs; i++)
        {
            using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(Model, stream: true));
            var viaProxy = await StreamProbe.ProxySseAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
            var straight = await StreamProbe.DirectAsync(stack.Direct, Model, directBody, cancellationToken).ConfigureAwait(false);
            // Run 0 warms the JIT on both sides and is not counted.
            if (i > 0)
            {
                proxy.Add(viaProxy);
                direct.Add(straight);
            }
        }

        var report = new StringBuilder();
        report.AppendLine("### Streamed throughput (issue 3b)");
        report.AppendLine();
        report.AppendLine($"One answer of {OutputBytes:N0} bytes of text (model id `{Model}`: 10,000 deltas of 1,000 bytes, no delay "
            + "between them), read to its end. MB/s = 10^6 text bytes per second from sending the request to the last byte "
            + $"(`data: [DONE]` through the proxy). {runs} runs each after one warm-up, proxy and direct alternating.");
        report.AppendLine();
        report.AppendLine(Summary.Header("MB/s"));
        report.AppendLine(Summary.Of(proxy.Select(t => OutputBytes / t.TotalMs / 1000)).Row("through proxy (SSE, Function URL)", "0.0"));
        report.AppendLine(Summary.Of(direct.Select(t => OutputBytes / t.TotalMs / 1000)).Row("direct from simulator (event stream)", "0.0"));
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(Summary.Of(proxy.Select(t => t.TotalMs)).Row("10 MB through proxy, whole answer", "0"));
        report.AppendLine(Summary.Of(direct.Select(t => t.TotalMs)).Row("10 MB direct, whole answer", "0"));
        report.AppendLine();
        report.AppendLine($"Wire bytes per answer: proxy SSE {proxy[0].WireBytes:N0}, direct event stream {direct[0].WireBytes:N0}.");
        return report.ToString();
    }
}
