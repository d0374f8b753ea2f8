using System.Diagnostics;
using System.Text;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 4, latency: a warm unary /converse through the proxy (auth from the warm cache, admission's write to
/// dynalite, then Bedrock) against the same Converse call straight to the simulator; the same proxy call for a
/// customer without limits (no admission write); GET /health (no auth, no DynamoDB, no Bedrock) as the cost of the
/// Lambda emulation alone; and a proxy call sent right after another one (it waits for the previous request's
/// after-answer usage writes, because a Lambda sandbox runs one invocation at a time).
/// </summary>
internal static class LatencyBenchmark
{
    /// <summary>Pause after each request, so the previous proxied request's usage writes have finished.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(15);

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var (unlimitedKey, _) = await stack.Dev.AddCustomerAsync("bench-latency-unlimited", CustomerLimits.None, [], cancellationToken)
            .ConfigureAwait(false);
        var proxy = new List<double>();
        var backToBack = new List<double>();
        var unlimited = new List<double>();
        var direct = new List<double>();
        var health = new List<double>();
        var directBody = BenchStack.DirectConverseBody();
        var healthUri = new Uri(stack.Dev.Lambda.FunctionUrl, "health");
        var body = BenchStack.ProxyConverseBody(BenchStack.Model, stream: false);
        const int Warmup = 5;
        for (var i = 0; i < requests + Warmup; i++)
        {
            var keep = i >= Warmup;
            Add(keep, health, await TimeAsync(() => stack.Http.GetAsync(healthUri, cancellationToken)).ConfigureAwait(false));
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            Add(keep, proxy, await TimeAsync(() => stack.Http.SendAsync(stack.ProxyRequest("/converse", body), cancellationToken)).ConfigureAwait(false));
            Add(keep, backToBack, await TimeAsync(() => stack.Http.SendAsync(stack.ProxyRequest("/converse", body), cancellationToken)).ConfigureAwait(false));
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            Add(keep, unlimited, await TimeAsync(() => stack.Http.SendAsync(stack.ProxyRequest("/converse", body, unlimitedKey), cancellationToken))
                .ConfigureAwait(false));
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var answer = await stack.Direct.SendAsync(BedrockOperation.Converse, BenchStack.Model, directBody, BedrockRequestHeaders.Empty, cancellationToken)
                .ConfigureAwait(false);
            Add(keep, direct, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (answer.StatusCode != 200)
            {
                throw new InvalidOperationException($"The simulator answered {answer.StatusCode}.");
            }

            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
        }

        var p = Summary.Of(proxy);
        var u = Summary.Of(unlimited);
        var d = Summary.Of(direct);
        var h = Summary.Of(health);
        var report = new StringBuilder();
        report.AppendLine("### Added latency of the proxy on the warm unary path (issue 4)");
        report.AppendLine();
        report.AppendLine("Whole request, send → last byte of the answer, keep-alive connections, warm worker: POST /converse unary "
            + "through the Function URL (key from the auth cache, admission's conditional UpdateItem to dynalite alongside the Converse "
            + "call to the simulator, the customer being well inside its limits; usage is written after the answer), the same for a "
            + "customer without limits (admission writes nothing), "
            + "the same Converse call signed and sent straight to the simulator, and GET /health through the Function URL (the "
            + $"Lambda emulation alone: front → Runtime API → bootstrap → back). {Settle.TotalMilliseconds:0} ms pause after each, so "
            + "the previous request's usage writes are done; \"back-to-back\" is a second proxy call sent the moment the first "
            + $"answer arrived. {requests} of each after {Warmup} warm-up rounds, interleaved, one at a time.");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(p.Row("proxy /converse unary", "0.00"));
        report.AppendLine(u.Row("proxy /converse unary, customer without limits", "0.00"));
        report.AppendLine(Summary.Of(backToBack).Row("proxy /converse unary, back-to-back", "0.00"));
        report.AppendLine(d.Row("direct Converse to simulator", "0.00"));
        report.AppendLine(h.Row("proxy GET /health", "0.00"));
        report.AppendLine();
        report.AppendLine($"Median added by the proxy: {Invariant.F(p.Median - d.Median)} ms; the Lambda emulation (median /health) is "
            + $"{Invariant.F(h.Median)} ms of it, leaving {Invariant.F(p.Median - d.Median - h.Median)} ms for authentication + admission + "
            + $"the function's own handling; what admission's DynamoDB write still adds, overlapped with the Converse call (limits − no limits, medians): {Invariant.F(p.Median - u.Median)} ms.");
        return report.ToString();
    }

    private static void Add(bool keep, List<double> samples, double value)
    {
        if (keep)
        {
            samples.Add(value);
        }
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await send().ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
