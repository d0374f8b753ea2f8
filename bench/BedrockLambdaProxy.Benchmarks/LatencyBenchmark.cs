using System.Diagnostics;
using System.Text;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 4, latency: a warm unary /converse through the proxy (auth from the warm cache, admission writes to
/// dynalite, then Bedrock) against the same Converse call straight to the simulator, and GET /health through the
/// proxy (no auth, no DynamoDB, no Bedrock) as the cost of the Function URL and Runtime API emulation alone.
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var proxy = new List<double>();
        var direct = new List<double>();
        var health = new List<double>();
        var directBody = BenchStack.DirectConverseBody();
        var healthUri = new Uri(stack.Dev.Lambda.FunctionUrl, "health");
        const int Warmup = 5;
        for (var i = 0; i < requests + Warmup; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(BenchStack.Model, stream: false)))
            using (var response = await stack.Http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }

            var viaProxy = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            var answer = await stack.Direct.SendAsync(BedrockOperation.Converse, BenchStack.Model, directBody, BedrockRequestHeaders.Empty, cancellationToken)
                .ConfigureAwait(false);
            var straight = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (answer.StatusCode != 200)
            {
                throw new InvalidOperationException($"The simulator answered {answer.StatusCode}.");
            }

            started = Stopwatch.GetTimestamp();
            using (var response = await stack.Http.GetAsync(healthUri, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }

            var healthMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= Warmup)
            {
                proxy.Add(viaProxy);
                direct.Add(straight);
                health.Add(healthMs);
            }
        }

        var p = Summary.Of(proxy);
        var d = Summary.Of(direct);
        var h = Summary.Of(health);
        var report = new StringBuilder();
        report.AppendLine("### Added latency of the proxy on the warm unary path (issue 4)");
        report.AppendLine();
        report.AppendLine("Whole request, send → last byte of the answer, keep-alive connections: POST /converse unary through the Function URL "
            + "(warm worker: key from the auth cache, admission's conditional write to dynalite, Converse to the simulator, usage "
            + "written after the answer) vs the same Converse call signed and sent straight to the simulator, vs GET /health "
            + $"through the Function URL (the Lambda emulation alone: front → Runtime API → bootstrap → back). {requests} of each "
            + $"after {Warmup} warm-up rounds, interleaved, one at a time.");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.AppendLine(p.Row("proxy /converse unary", "0.00"));
        report.AppendLine(d.Row("direct Converse to simulator", "0.00"));
        report.AppendLine(h.Row("proxy GET /health", "0.00"));
        report.AppendLine();
        report.AppendLine($"Median added by the proxy: {Invariant.F(p.Median - d.Median)} ms (ratio {Invariant.F(p.Median / d.Median)}); "
            + $"of which the Lambda emulation (median /health) accounts for about {Invariant.F(h.Median)} ms, leaving about "
            + $"{Invariant.F(p.Median - d.Median - h.Median)} ms for authentication + admission + request/response handling in the function. "
            + "The DynamoDB part of that is measured directly in the round-trip table above.");
        return report.ToString();
    }
}
