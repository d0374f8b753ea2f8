using System.Diagnostics;
using System.Net;
using System.Text;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 9: a fresh worker's first proxied streamed request, timed from the bootstrap's Process.Start to the first
/// byte of the SSE answer at the client (the request is already waiting, as on a Lambda cold start: no /health
/// first, empty auth cache). The same run splits that time into stages seen from outside the process, so nothing
/// in the function is instrumented: the Runtime API emulator notes the first GET /next (init done), a relay between
/// the bootstrap and dynalite notes each DynamoDB request, and the client notes the first byte.
/// </summary>
internal static class ColdFirstByteBenchmark
{
    /// <summary>Two deltas; the first byte is the messageStart event, which the simulator sends at once.</summary>
    private const string Model = "sim.chunks:2." + BenchStack.Model;

    /// <summary>After the answer the worker writes usage; wait for DynamoDB to be quiet before the next cold start.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static async Task<string> RunAsync(BenchStack stack, IReadOnlyList<(string Name, string Bootstrap)> builds, int runs, CancellationToken cancellationToken)
    {
        var rows = new StringBuilder();
        var stages = new StringBuilder();
        var verdicts = new StringBuilder();
        foreach (var (name, bootstrap) in builds)
        {
            var samples = await MeasureAsync(stack, bootstrap, runs, cancellationToken).ConfigureAwait(false);
            var firstByte = Summary.Of(samples.Select(s => s.FirstByteMs));
            rows.AppendLine(firstByte.Row($"{name}: spawn → first SSE byte"));
            verdicts.AppendLine($"{name}: median first SSE byte {Invariant.F(firstByte.Median, "0.0")} ms"
                + (name.Contains("aot", StringComparison.OrdinalIgnoreCase) ? ", target ≤ 80 ms " + (firstByte.Median <= 80 ? "met" : "**missed**") + " (issue 25: ≤ 20 ms " + (firstByte.Median <= 20 ? "met" : "**missed**") + ")" : "")
                + $"; DynamoDB before the Bedrock call: {samples.Max(s => s.DynamoCalls)} request(s) at most, "
                + $"{samples.Min(s => s.WaitedRoundTrips)}–{samples.Max(s => s.WaitedRoundTrips)} round trip(s) answered before it (issue 25: ≤ 2).");
            rows.AppendLine(Summary.Of(samples.Select(s => s.FirstDeltaMs)).Row($"{name}: spawn → first contentBlockDelta"));
            stages.AppendLine(Summary.Of(samples.Select(s => s.InitMs)).Row($"{name}: 1 spawn → first GET /next (runtime start, composition root)"));
            stages.AppendLine(Summary.Of(samples.Select(s => s.ToFirstDynamoMs)).Row($"{name}: 2 → first DynamoDB request sent (event, routing, SDK client, SigV4)"));
            stages.AppendLine(Summary.Of(samples.Select(s => s.DynamoMs)).Row($"{name}: 3 DynamoDB before Bedrock ({samples[0].DynamoCalls} requests: key, customer and counter reads, admission)"));
            stages.AppendLine(Summary.Of(samples.Select(s => s.BedrockMs)).Row($"{name}: 4 → first SSE byte (Bedrock call, relay to the client)"));
        }

        var report = new StringBuilder();
        report.AppendLine("### Cold start → first byte of a proxied SSE answer (issue 9)");
        report.AppendLine();
        report.AppendLine($"Each run kills the worker and starts a fresh bootstrap with the request already waiting (a Lambda cold start: no "
            + $"GET /health first, empty auth cache), then times Process.Start → the first byte of the SSE body of POST /converse "
            + $"(`stream:true`, model `{Model}`, a customer with limits, so key lookup, customer read and admission write all run) "
            + $"and → the first complete `contentBlockDelta` event, which the simulator sends {BenchStack.ChunkDelay.TotalMilliseconds:0} ms "
            + $"after messageStart. DynamoDB is dynalite behind a counting relay, Bedrock the simulator; plain HTTP on loopback, so no "
            + $"TLS handshake is in these numbers (on AWS both first calls add one). {runs} runs per build. Target (Native AOT): first SSE byte ≤ 80 ms median.");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.Append(rows);
        report.AppendLine();
        report.Append(verdicts);
        report.AppendLine();
        report.AppendLine("Where the first request's time goes (the same runs; stage boundaries seen from outside the bootstrap: the "
            + "Runtime API emulator's first GET /next, the relay's first DynamoDB request and last answer before the Bedrock call, "
            + "the client's first byte):");
        report.AppendLine();
        report.AppendLine(Summary.Header("ms"));
        report.Append(stages);
        return report.ToString();
    }

    /// <summary>
    /// <paramref name="runs"/> cold starts of <paramref name="bootstrap"/>, DynamoDB behind a counting relay; the stack's
    /// DynamoDB endpoint and bootstrap are restored afterwards.
    /// </summary>
    /// <param name="failures">Where a failed run's reason goes (the run is skipped); null: a failed run ends the benchmark.</param>
    public static async Task<List<Sample>> MeasureAsync(
        BenchStack stack, string bootstrap, int runs, CancellationToken cancellationToken, List<string>? failures = null)
    {
        var relay = new DynamoRelay(stack.Dev.Dynamo.Endpoint, () => stack.Simulator.TotalRequests);
        await using (relay.ConfigureAwait(false))
        {
            relay.Start();
            var environment = stack.Options.Lambda.FunctionEnvironment;
            environment[ProxySettings.Names.DynamoDbEndpoint] = relay.Endpoint.ToString();
            var original = stack.Options.Lambda.BootstrapPath;
            var samples = new List<Sample>();
            try
            {
                for (var run = 0; run < runs; run++)
                {
                    try
                    {
                        samples.Add(await OneAsync(stack, relay, bootstrap, cancellationToken).ConfigureAwait(false));
                    }
                    catch (InvalidOperationException e) when (failures is not null)
                    {
                        // At the smallest CPU shares on a loaded machine a cold start can miss a budget (a 5xx); the run
                        // is counted as failed instead of ending the whole benchmark.
                        failures.Add(e.Message);
                        await Console.Error.WriteLineAsync($"[bench] cold run failed: {e.Message}").ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                environment[ProxySettings.Names.DynamoDbEndpoint] = stack.Dev.Dynamo.Endpoint.ToString();
                await stack.RecycleAsync(original).ConfigureAwait(false);
            }

            return samples;
        }
    }

    private static async Task<Sample> OneAsync(BenchStack stack, DynamoRelay relay, string bootstrap, CancellationToken cancellationToken)
    {
        stack.Options.Lambda.BootstrapPath = Path.GetFullPath(bootstrap);
        relay.Clear();
        var bedrockBefore = stack.Simulator.TotalRequests;
        var spawned = await stack.Dev.Lambda.RecycleWorkersAsync().ConfigureAwait(false);
        using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody(Model, stream: true));
        using var response = await stack.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The proxy answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        var seen = new MemoryStream();
        long firstByte = 0, firstDelta = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            firstByte = firstByte == 0 ? Stopwatch.GetTimestamp() : firstByte;
            if (firstDelta == 0)
            {
                seen.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(seen.GetBuffer(), 0, (int)seen.Length);
                var at = text.IndexOf("event: contentBlockDelta\n", StringComparison.Ordinal);
                if (at >= 0 && text.IndexOf("\n\n", at, StringComparison.Ordinal) >= 0)
                {
                    firstDelta = Stopwatch.GetTimestamp();
                }
            }
        }

        await relay.WaitForQuietAsync(Quiet, cancellationToken).ConfigureAwait(false);
        var before = relay.Calls.Where(c => c.BedrockCallsBefore == bedrockBefore).ToArray();
        // The requests answered before the call reached the simulator: those it can have waited for (an admission write
        // sent alongside the call and answered after it is not among them).
        var answered = before.Where(c => c.AnsweredTimestamp != 0 && c.BedrockCallsAtAnswer == bedrockBefore).OrderBy(c => c.AnsweredTimestamp).ToArray();
        var initDone = stack.Dev.Lambda.WorkerFirstPolls[0];
        if (firstDelta == 0 || answered.Length == 0 || initDone == 0)
        {
            throw new InvalidOperationException("The cold request had no content delta, no DynamoDB request before Bedrock, or no /next.");
        }

        static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        return new Sample(
            FirstByteMs: Ms(spawned, firstByte),
            FirstDeltaMs: Ms(spawned, firstDelta),
            InitMs: Ms(spawned, initDone),
            ToFirstDynamoMs: Ms(initDone, before[0].SentTimestamp),
            DynamoMs: Ms(before[0].SentTimestamp, answered[^1].AnsweredTimestamp),
            BedrockMs: Ms(answered[^1].AnsweredTimestamp, firstByte),
            DynamoCalls: before.Length,
            WaitedRoundTrips: RoundTrips(answered));
    }

    /// <summary>
    /// Round trips among <paramref name="calls"/>: a request sent before the previous ones were all answered shares
    /// their round trip. Counted over the requests answered before the Bedrock call reached the simulator, this is an
    /// upper bound of the round trips the call waited for (a write that goes out alongside the call and happens to be
    /// answered first is counted too).
    /// </summary>
    private static int RoundTrips(IEnumerable<DynamoCall> calls)
    {
        var roundTrips = 0;
        var answeredBy = long.MinValue;
        foreach (var call in calls.OrderBy(c => c.SentTimestamp))
        {
            roundTrips += call.SentTimestamp > answeredBy ? 1 : 0;
            answeredBy = Math.Max(answeredBy, call.AnsweredTimestamp == 0 ? long.MaxValue : call.AnsweredTimestamp);
        }

        return roundTrips;
    }

    /// <summary>One cold start: spawn → first SSE byte and its stages, and the DynamoDB requests before the Bedrock call.</summary>
    internal readonly record struct Sample(
        double FirstByteMs, double FirstDeltaMs, double InitMs, double ToFirstDynamoMs, double DynamoMs, double BedrockMs, int DynamoCalls, int WaitedRoundTrips);
}
