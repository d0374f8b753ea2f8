using System.Text;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 3a: time to the first content event through the proxy (Function URL, /converse, stream:true, a real
/// key) against ConverseStream straight to the simulator, with the first delta 50 ms after the request.
/// Proxy and direct requests alternate so drift on a shared machine hits both alike.
/// </summary>
internal static class TtfbBenchmark
{
    /// <summary>Two deltas per answer keep each request short; the first still comes after the 50 ms chunk delay.</summary>
    private const string Model = "sim.chunks:2." + BenchStack.Model;

    /// <summary>
    /// Pause after each request: a proxied request writes its usage after the answer and the worker takes the next
    /// invocation only then, so without it a proxy request would be timed partly waiting for the previous one's writes.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(15);

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var proxy = new List<StreamTiming>();
        var unlimited = new List<StreamTiming>();
        var direct = new List<StreamTiming>();
        // A customer without limits: admission has nothing to count, so no DynamoDB request precedes Bedrock.
        var (unlimitedKey, _) = await stack.Dev.AddCustomerAsync("bench-unlimited", CustomerLimits.None, [], cancellationToken).ConfigureAwait(false);
        var directBody = BenchStack.DirectConverseBody();
        const int Warmup = 5;
        for (var i = 0; i < requests + Warmup; i++)
        {
            using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(Model, stream: true));
            var viaProxy = await StreamProbe.ProxySseAsync(stack.Http, request, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            using var uncounted = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(Model, stream: true), unlimitedKey);
            var viaProxyUnlimited = await StreamProbe.ProxySseAsync(stack.Http, uncounted, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var straight = await StreamProbe.DirectAsync(stack.Direct, Model, directBody, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            if (i >= Warmup)
            {
                proxy.Add(viaProxy);
                unlimited.Add(viaProxyUnlimited);
                direct.Add(straight);
            }
        }

        var proxyFirst = Summary.Of(proxy.Select(t => t.FirstContentMs));
        var directFirst = Summary.Of(direct.Select(t => t.FirstContentMs));
        var report = new StringBuilder();
        report.AppendLine("### Time to first content event (issue 3a)");
        report.AppendLine();
        report.AppendLine($"TTFB = from just before the client sends the request (keep-alive connection already open) until the "
            + "client has received the whole first `contentBlockDelta` event: through the proxy the SSE event "
            + "`event: contentBlockDelta` up to the blank line that ends it (Function URL front, POST /converse, "
            + "`stream:true`, Bearer key of a customer with rate limits, so auth cache + admission writes run); directly, the "
            + "CRC-checked event-stream frame `:event-type contentBlockDelta` of a SigV4-signed ConverseStream call made "
            + $"with the function's own BedrockClient. Simulator ChunkDelay {BenchStack.ChunkDelay.TotalMilliseconds:0} ms "
            + $"(the first delta is written 50 ms after the request arrives), model id `{Model}`. "
            + $"{requests} requests each after {Warmup} warm-up rounds, the three kinds in turn, one at a time. The second proxy row uses "
            + "a customer without limits, for which admission writes nothing. The customer with limits is well inside them, so its "
            + "Bedrock call goes out alongside the admission's conditional UpdateItem against dynalite (LIMITS_OVERLAP_BEDROCK, the "
            + "default; the answer is held until admitted): the difference between the two proxy rows is what admission still adds to "
            + $"the first token. {Settle.TotalMilliseconds:0} ms pause after every request, so the "
            + "previous proxied request's after-answer usage writes have finished.");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(proxyFirst.Row("TTFB through proxy"));
        report.AppendLine(Summary.Of(unlimited.Select(t => t.FirstContentMs)).Row("TTFB through proxy, customer without limits"));
        report.AppendLine(directFirst.Row("TTFB direct to simulator"));
        report.AppendLine(Summary.Of(proxy.Select(t => t.TotalMs)).Row("whole stream through proxy"));
        report.AppendLine(Summary.Of(direct.Select(t => t.TotalMs)).Row("whole stream direct"));
        report.AppendLine();
        var ratio = proxyFirst.Median / directFirst.Median;
        report.AppendLine($"Ratio proxy/direct of the median TTFB: **{Invariant.F(ratio, "0.000")}** (target < 1.10: "
            + (ratio < 1.10 ? "met" : "**missed**") + $"); p25 ratio {Invariant.F(proxyFirst.P25 / directFirst.P25, "0.000")}, "
            + $"p75 ratio {Invariant.F(proxyFirst.P75 / directFirst.P75, "0.000")}; "
            + $"median added by the proxy {Invariant.F(proxyFirst.Median - directFirst.Median, "0.0")} ms. Without limits (no DynamoDB "
            + $"request before Bedrock) the ratio is {Invariant.F(Summary.Of(unlimited.Select(t => t.FirstContentMs)).Median / directFirst.Median, "0.000")}.");
        return report.ToString();
    }
}
