using System.Diagnostics;
using System.Text;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issues 4, 21 and 23: DynamoDB requests per proxied request, for customers without and with a concurrency cap and for an API key
/// with limits of its own (keys issue --rpm …), counted for real by a relay between the bootstrap and
/// dynalite; a request is "before Bedrock" when the simulator had not yet received that request's Bedrock call.
/// </summary>
internal static class DynamoRoundTripBenchmark
{
    /// <summary>After an answer, the function still records usage; wait until DynamoDB has been quiet this long.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var relay = new DynamoRelay(stack.Dev.Dynamo.Endpoint, () => stack.Simulator.TotalRequests);
        await using (relay.ConfigureAwait(false))
        {
            relay.Start();
            var environment = stack.Options.Lambda.FunctionEnvironment;
            environment[ProxySettings.Names.DynamoDbEndpoint] = relay.Endpoint.ToString();
            await stack.RecycleAsync().ConfigureAwait(false);
            try
            {
                var report = new StringBuilder();
                report.AppendLine("### DynamoDB round trips and writes per request (issues 4, 21, 23)");
                report.AppendLine();
                report.AppendLine("Counted by a TCP relay between the bootstrap and dynalite (DYNAMODB_ENDPOINT points at it) that reads "
                    + "each HTTP request's `X-Amz-Target`; a DynamoDB request is *before Bedrock* if the simulator had not yet "
                    + "received this request's Bedrock call when the request passed the relay. After each answer the benchmark waits "
                    + $"until DynamoDB has been quiet for {Quiet.TotalMilliseconds:0} ms, so the usage writes that follow the answer "
                    + $"count for that request. Targets: at most 1 synchronous round trip before Bedrock, at most 3 writes per request. "
                    + $"First a fresh worker's first request (cold auth cache), then {requests} warm requests of each kind.");
                report.AppendLine();
                report.AppendLine("| request | n | DynamoDB requests before Bedrock (min / median / max) | round trips before Bedrock (max) | writes per request (min / median / max) | reads per request (max) | operations (before Bedrock ‖ after) | whole request, median ms |");
                report.AppendLine("|---|---:|---|---:|---|---:|---|---:|");
                var rows = new List<(string Name, List<SeenCall[]> Calls)>
                {
                    ("first request of a fresh worker (unary)", [await OneAsync(stack, relay, stream: false, null, cancellationToken).ConfigureAwait(false)]),
                };
                // The same customer limits plus a concurrency cap (customers create --max-concurrent): its slot is
                // taken by a write sent alongside the admission write and given back after the bookkeeping.
                (string cappedKey, _) = await stack.Dev.AddCustomerAsync("bench-capped",
                    new CustomerLimits(1_000_000, 10_000_000_000, null, null) { MaxConcurrent = 100 }, [], cancellationToken).ConfigureAwait(false);
                // A key with limits of its own (keys issue --rpm --tpm) under a customer with the same limits: its admission
                // write goes out beside the customer's, and its settlement beside the record's writes.
                (_, _) = await stack.Dev.AddCustomerAsync("bench-keyed", new CustomerLimits(1_000_000, 10_000_000_000, null, null), [], cancellationToken)
                    .ConfigureAwait(false);
                var issuer = new ApiKeyIssuer(new ApiKeyStore(stack.Dev.Dynamo.Client, stack.Dev.Dynamo.Tables),
                    new CustomerStore(stack.Dev.Dynamo.Client, stack.Dev.Dynamo.Tables), TimeProvider.System);
                (IssuedApiKey keyed, _) = await issuer.IssueAsync("bench-keyed", null, cancellationToken,
                    limits: new CustomerLimits(1_000_000, 10_000_000_000, null, null)).ConfigureAwait(false);
                foreach (var (stream, key, label) in new[]
                {
                    (false, (string?)null, ""), (true, null, ""), (false, cappedKey, CappedLabel), (true, cappedKey, CappedLabel),
                    (false, keyed.Key, KeyedLabel), (true, keyed.Key, KeyedLabel),
                })
                {
                    var calls = new List<SeenCall[]>();
                    if (key is not null)
                    {
                        // The worker's first request for this customer reads its key, customer and counters.
                        await OneAsync(stack, relay, stream, key, cancellationToken).ConfigureAwait(false);
                    }
                    for (var i = 0; i < requests; i++)
                    {
                        calls.Add(await OneAsync(stack, relay, stream, key, cancellationToken).ConfigureAwait(false));
                    }

                    rows.Add(((stream ? "warm /converse stream:true" : "warm /converse unary") + label, calls));
                }

                var beforeTimes = new List<double>();
                var warm = new List<SeenCall[]>();
                var capped = new List<SeenCall[]>();
                var keyedCalls = new List<SeenCall[]>();
                foreach (var (name, calls) in rows)
                {
                    report.AppendLine(Row(name, calls));
                    if (name.EndsWith(CappedLabel, StringComparison.Ordinal))
                    {
                        capped.AddRange(calls);
                    }
                    else if (name.EndsWith(KeyedLabel, StringComparison.Ordinal))
                    {
                        keyedCalls.AddRange(calls);
                    }
                    else if (name.StartsWith("warm", StringComparison.Ordinal))
                    {
                        warm.AddRange(calls);
                        beforeTimes.AddRange(calls.Select(c => c.Where(IsBefore).Sum(s => RoundTripMs(s.Call))));
                    }
                }

                var maxBefore = warm.Max(RoundTripsBefore);
                var maxWrites = warm.Max(r => r.Count(c => c.Call.IsWrite));
                var maxWriteBody = warm.SelectMany(r => r).Where(c => c.Call.IsWrite).Max(c => c.Call.BodyBytes);
                report.AppendLine();
                report.AppendLine($"Warm path, worst of {warm.Count} requests: {maxBefore} DynamoDB round trip(s) before Bedrock (target ≤ 1: "
                    + (maxBefore <= 1 ? "met" : "**missed**") + $"), {maxWrites} writes per request (target ≤ 3: "
                    + (maxWrites <= 3 ? "met" : "**missed**") + $"). The largest write request body was {maxWriteBody} bytes; "
                    + "the items written are smaller than 1 KB, so each write costs 1 write capacity unit on AWS (on-demand: 1 write "
                    + "request unit), 3 per request. The cold row shows the reads a fresh instance adds once per key and customer "
                    + "(the API key; then the customer and its counter item in one BatchGetItem), after which its admission write, like a "
                    + "warm one, goes out alongside the Bedrock call (issue 25: at most 2 round trips before Bedrock). On the warm rows the customer is well inside "
                    + "its limits, so its admission write goes out alongside the Bedrock call (LIMITS_OVERLAP_BEDROCK, the default): "
                    + "whether the write reaches the relay before the simulator sees the call is a race, hence 0 or 1 before Bedrock.");
                report.AppendLine();
                var cappedRoundTrips = capped.Max(RoundTripsBefore);
                var cappedWrites = capped.Max(r => r.Count(c => c.Call.IsWrite));
                report.AppendLine($"Capped customer (`--max-concurrent`), worst of {capped.Count} warm requests: {cappedRoundTrips} round trip(s) before Bedrock "
                    + $"(the slot's UpdateItem goes out alongside the admission write, so two requests but one round trip), {cappedWrites} writes per "
                    + $"request: the cap's extra cost is {cappedWrites - maxWrites} write(s) (take the slot, give it back after the bookkeeping), "
                    + "no extra round trip. A round trip is a set of DynamoDB requests in flight at the same time.");
                report.AppendLine();
                var keyedRoundTrips = keyedCalls.Max(RoundTripsBefore);
                var keyedWrites = keyedCalls.Max(r => r.Count(c => c.Call.IsWrite));
                report.AppendLine($"API key with limits of its own (`keys issue --rpm --tpm`), worst of {keyedCalls.Count} warm requests: {keyedRoundTrips} round trip(s) "
                    + $"before Bedrock (the key's UpdateItem goes out beside the customer's), {keyedWrites} writes per request: the key's own limits cost "
                    + $"{keyedWrites - maxWrites} write(s) (its admission, its settlement), no extra round trip. Keys without limits of their own are the rows above.");
                report.AppendLine();
                report.AppendLine("Time the warm requests' DynamoDB requests spent before the Bedrock call reached the simulator (sum of the round trips before "
                    + "Bedrock, request head at the relay → first answer byte at the relay; dynalite on loopback). These requests follow "
                    + $"a {Quiet.TotalMilliseconds:0} ms idle gap and pass two extra loopback hops, so this is an upper bound; the back-to-back "
                    + "difference between customers with and without limits in the latency table is the better estimate:");
                report.AppendLine();
                report.AppendLine(Summary.Header("ms"));
                report.AppendLine(Summary.Of(beforeTimes).Row("DynamoDB wait before Bedrock, warm", "0.00"));
                return report.ToString();
            }
            finally
            {
                environment[ProxySettings.Names.DynamoDbEndpoint] = stack.Dev.Dynamo.Endpoint.ToString();
                await stack.RecycleAsync().ConfigureAwait(false);
            }
        }
    }

    private const string CappedLabel = ", capped customer";
    private const string KeyedLabel = ", key with its own limits";

    private static async Task<SeenCall[]> OneAsync(BenchStack stack, DynamoRelay relay, bool stream, string? apiKey, CancellationToken cancellationToken)
    {
        relay.Clear();
        var bedrockBefore = stack.Simulator.TotalRequests;
        using var request = stack.ProxyRequest("/converse", BenchStack.ProxyConverseBody("sim.delay:0." + BenchStack.Model, stream), apiKey);
        var started = Stopwatch.GetTimestamp();
        using var response = await stack.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await relay.WaitForQuietAsync(Quiet, cancellationToken).ConfigureAwait(false);

        if (stack.Simulator.TotalRequests != bedrockBefore + 1)
        {
            throw new InvalidOperationException($"Expected one Bedrock call, the simulator saw {stack.Simulator.TotalRequests - bedrockBefore}.");
        }

        return [.. relay.Calls.Select(c => new SeenCall(c, c.BedrockCallsBefore == bedrockBefore, elapsed))];
    }

    private static bool IsBefore(SeenCall call) => call.BeforeBedrock;

    /// <summary>
    /// Sequential DynamoDB round trips before Bedrock: requests before the Bedrock call, grouped so that a request sent
    /// before the previous ones were all answered joins their round trip (they were in flight together).
    /// </summary>
    private static int RoundTripsBefore(SeenCall[] request)
    {
        int roundTrips = 0;
        long answeredBy = long.MinValue;
        foreach (DynamoCall call in request.Where(IsBefore).Select(c => c.Call).OrderBy(c => c.SentTimestamp))
        {
            if (call.SentTimestamp > answeredBy)
            {
                roundTrips++;
            }
            answeredBy = Math.Max(answeredBy, call.AnsweredTimestamp == 0 ? long.MaxValue : call.AnsweredTimestamp);
        }
        return roundTrips;
    }

    private static double RoundTripMs(DynamoCall call) =>
        call.AnsweredTimestamp == 0 ? double.NaN : Stopwatch.GetElapsedTime(call.SentTimestamp, call.AnsweredTimestamp).TotalMilliseconds;

    private static string Row(string name, List<SeenCall[]> requests)
    {
        var before = requests.Select(r => (double)r.Count(IsBefore)).ToList();
        var writes = requests.Select(r => (double)r.Count(c => c.Call.IsWrite)).ToList();
        var reads = requests.Select(r => r.Count(c => !c.Call.IsWrite)).Max();
        var shapes = requests.GroupBy(r => string.Join(", ", r.Where(IsBefore).Select(c => c.Call.Operation)) + " ‖ "
                + string.Join(", ", r.Where(c => !IsBefore(c)).Select(c => c.Call.Operation)))
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} (×{g.Count()})");
        var b = Summary.Of(before);
        var w = Summary.Of(writes);
        var whole = Summary.Of(requests.Where(r => r.Length > 0).Select(r => r[0].RequestMs));
        return $"| {name} | {requests.Count} | {b.Min:0} / {b.Median:0} / {b.Max:0} | {requests.Max(RoundTripsBefore)} | {w.Min:0} / {w.Median:0} / {w.Max:0} | {reads} | "
            + $"{string.Join("; ", shapes)} | {Invariant.F(whole.Median)} |";
    }

    /// <summary>A DynamoDB request and whether it went out before the proxied request's Bedrock call.</summary>
    private readonly record struct SeenCall(DynamoCall Call, bool BeforeBedrock, double RequestMs);
}
