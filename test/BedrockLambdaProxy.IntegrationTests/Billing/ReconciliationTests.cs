using System.Globalization;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Usage;
using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// The billing promise, proved by reconciliation: nothing "Bedrock" (the simulator) served goes
/// unrecorded, whatever way a request ends. A seeded random mix of requests (every surface, stream and
/// unary, buffered and streamed fronts) with injected endings (a mid-stream exception, the deadline, a
/// caller that leaves, an answer too large for a buffered front, refusals and retries before the first
/// byte, a DynamoDB slowed at the deadline) runs through the real bootstrap; then the simulator's ledger
/// of served calls is compared with the usage table, after the unwritten lines are replayed.
/// </summary>
public sealed class ReconciliationTests(BillingStackFixture stack) : IClassFixture<BillingStackFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static readonly string[] Vocabulary =
    [
        "what", "is", "the", "most", "popular", "song", "on", "WZPZ", "tell", "me", "a", "story", "about",
        "rivers", "and", "mountains", "naïve", "café", "déjà", "vu", "42", "tokens", "billing", "ledger",
    ];

    private enum Kind
    {
        SseConverse,
        ArrayConverse,
        ApiStreamRoute,
        UnaryConverse,
        UnaryAnthropic,
        AnthropicStream,
        TitanStream,
        NativeConverseStream,
        NativeCollectedStream,
        OpenAiStream,
        OpenAiBuffered,
        ThrottledThenServed,
        RefusedBeforeFirstByte,
        MidStreamException,
        CallerGone,
        Deadline,
        Oversize,
    }

    [Fact]
    public async Task ServedCalls_RandomEndingsAndSlowDynamo_EachHasExactlyOneRecordWithBedrocksOrEstimatedTokens()
    {
        int seed = Environment.GetEnvironmentVariable("RECONCILIATION_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        // Every kind once, then a random extra dozen, in a random order; prompts and shapes random too.
        List<Kind> kinds = [.. Enum.GetValues<Kind>(), .. Enumerable.Range(0, 12).Select(_ => (Kind)random.Next(0, (int)Kind.Deadline))];
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kinds));
        var plans = kinds.Select((kind, i) => Plan(kind, i, random)).ToList();
        int slowPhaseAt = random.Next(0, plans.Count + 1);
        string context = $"seed {seed} (set RECONCILIATION_SEED={seed} to replay); requests: {string.Join(", ", kinds)}; slow DynamoDB after request {slowPhaseAt}";

        // Two at a time (the stack's two workers), with the slow-DynamoDB phase run alone in between.
        await RunAsync(plans[..slowPhaseAt]);
        await SlowDynamoAtDeadlineAsync(random);
        await RunAsync(plans[slowPhaseAt..]);

        IReadOnlyList<ServedCall> served = stack.ServedCalls();
        // Bookkeeping follows each answer and ends, at worst, just before the function's deadline.
        await Task.Delay(stack.FunctionTimeout);
        string unwritten = string.Join('\n', stack.Stack.Lambda.WorkerLogs.Select(l => l.Text)
            .Where(t => t.Contains("\"event_type\":\"usage_record_unwritten\"", StringComparison.Ordinal)));
        var replay = new UsageReplay(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits, TimeProvider.System);
        await replay.ReplayAllAsync(new StringReader(unwritten), CancellationToken.None);
        List<UsageRecord> records = await stack.UsageRecordsAsync();

        var failures = new List<string>();
        foreach (ServedCall call in served)
        {
            List<UsageRecord> matching = records.Where(r => r.BedrockRequestId == call.RequestId).ToList();
            if (matching.Count != 1)
            {
                failures.Add($"{call.Operation} {call.ModelId} ({call.RequestId}): {matching.Count} records");
                continue;
            }
            UsageRecord record = matching[0];
            TokenUsage expected = new(call.InputTokens, call.OutputTokens, call.CacheReadInputTokens, call.CacheWriteInputTokens);
            if (!record.Estimated && record.Tokens != expected)
            {
                failures.Add($"{call.ModelId}: Bedrock's counts {expected}, recorded {record.Tokens}");
            }
            if (record.Estimated && (record.Tokens is null || record.Tokens.InputTokens <= 0))
            {
                failures.Add($"{call.ModelId} ({record.ErrorType}): estimated without tokens: {record.Tokens}");
            }
        }
        foreach (UsageRecord phantom in records.Where(r => r.BedrockRequestId is not null && served.All(c => c.RequestId != r.BedrockRequestId)))
        {
            failures.Add($"record {phantom.RequestId} names Bedrock request {phantom.BedrockRequestId}, which the simulator never served");
        }
        MonthlyUsage? month = await stack.MonthAsync();
        var sums = (records.Count, records.Sum(r => r.Tokens?.InputTokens ?? 0), records.Sum(r => r.Tokens?.OutputTokens ?? 0), records.Count(r => r.Estimated));
        if (month is null || (month.Requests, month.InputTokens, month.OutputTokens, month.EstimatedRequests) != sums)
        {
            failures.Add($"monthly aggregate {month} differs from the records' sums {sums}");
        }

        Assert.True(served.Count >= plans.Count(p => p.Served), $"{context}: only {served.Count} served calls");
        string timeouts = string.Join('\n', stack.Stack.Lambda.WorkerLogs.Select(l => l.Text).Where(t => t.Contains("timed out", StringComparison.Ordinal)));
        Assert.True(failures.Count == 0, $"{context}:\n{string.Join('\n', failures)}\nunwritten lines:\n{unwritten}\ntimeouts:\n{timeouts}\n{stack.WorkerLogText()}");
    }

    /// <summary>One request to make: how to send it and how to read it (or abandon it).</summary>
    private sealed record RequestPlan(Kind Kind, Func<Task> RunAsync, bool Served);

    private RequestPlan Plan(Kind kind, int index, Random random)
    {
        string prompt = $"request {index} " + string.Join(' ', Enumerable.Range(0, random.Next(1, 12)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        int chunks = random.Next(1, 8);
        string nova = $"sim.chunks:{chunks}.amazon.nova-lite-v1:0";
        string converse = $$"""{"messages":[{"role":"user","content":[{"text":"{{prompt}}"}]}]}""";
        string Seed(string model, bool stream) => $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},{{converse[1..]}}""";
        string anthropic = $$"""{"modelId":"sim.chunks:{{chunks}}.anthropic.claude-3-haiku-20240307-v1:0","stream":%STREAM%,"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":[{"type":"text","text":"{{prompt}}"}]}]}""";
        string openAi(bool stream) => $$"""{"model":"{{nova}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";
        string native = $"/model/{Uri.EscapeDataString(nova)}/converse-stream";
        return kind switch
        {
            Kind.SseConverse => Read(kind, stack.FunctionUrl, "/converse", Seed(nova, true)),
            Kind.ArrayConverse => Read(kind, stack.ApiGatewayUrl, "/converse", Seed(nova, true)),
            Kind.ApiStreamRoute => Read(kind, stack.ApiGatewayStreamUrl, "/converse", Seed(nova, true)),
            Kind.UnaryConverse => Read(kind, stack.FunctionUrl, "/converse", Seed(nova, false)),
            Kind.UnaryAnthropic => Read(kind, stack.ApiGatewayUrl, "/invoke", anthropic.Replace("%STREAM%", "false", StringComparison.Ordinal)),
            Kind.AnthropicStream => Read(kind, stack.FunctionUrl, "/invoke", anthropic.Replace("%STREAM%", "true", StringComparison.Ordinal)),
            Kind.TitanStream => Read(kind, stack.FunctionUrl, "/invoke",
                $$"""{"modelId":"sim.chunks:{{chunks}}.amazon.titan-text-express-v1","stream":true,"inputText":"{{prompt}}"}"""),
            Kind.NativeConverseStream => Read(kind, stack.FunctionUrl, native, converse),
            Kind.NativeCollectedStream => Read(kind, stack.ApiGatewayUrl, native, converse),
            Kind.OpenAiStream => Read(kind, stack.FunctionUrl, "/v1/chat/completions", openAi(true)),
            Kind.OpenAiBuffered => Read(kind, stack.ApiGatewayUrl, "/v1/chat/completions", openAi(random.Next(2) == 0)),
            // Throttled on the first attempt, served on the retry: one served call, one record.
            Kind.ThrottledThenServed => Read(kind, stack.FunctionUrl, "/converse", Seed("fault.throttle:1." + nova, random.Next(2) == 0)),
            Kind.RefusedBeforeFirstByte => Read(kind, stack.FunctionUrl, "/converse",
                Seed($"fault.{(random.Next(2) == 0 ? "validation" : "access-denied")}.{nova}", true), served: false),
            Kind.MidStreamException => Read(kind, random.Next(2) == 0 ? stack.FunctionUrl : stack.ApiGatewayUrl, "/converse",
                Seed($"fault.fail-after:{random.Next(0, 3)}.sim.chunks:{chunks + 3}.amazon.nova-lite-v1:0", true)),
            Kind.CallerGone => new RequestPlan(kind, () => LeaveAfterFirstDeltaAsync(Seed("sim.delay:200.chunks:12.amazon.nova-lite-v1:0", true)), true),
            Kind.Deadline => Read(kind, stack.FunctionUrl, "/converse", Seed($"fault.hang-after:{random.Next(0, 3)}.{nova}", true)),
            _ => Read(kind, stack.ApiGatewayUrl, "/converse", Seed("sim.bytes:6500000.amazon.nova-lite-v1:0", random.Next(2) == 0)),
        };
    }

    private RequestPlan Read(Kind kind, Uri front, string path, string json, bool served = true) =>
        new(kind, async () =>
        {
            using var timeout = new CancellationTokenSource(Guard);
            using HttpResponseMessage response = await stack.Http.SendAsync(
                stack.PostAsBilling(front, path, json), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await StreamReading.ReadToEndAsync(body, timeout.Token);
        }, served);

    private async Task LeaveAfterFirstDeltaAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Guard);
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.PostAsBilling(stack.FunctionUrl, "/converse", json), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await StreamReading.ReadUntilAsync(body, "contentBlockDelta", timeout.Token);
        // Disposing the response without reading on closes the connection: the caller is gone.
    }

    private static async Task RunAsync(List<RequestPlan> plans)
    {
        for (int i = 0; i < plans.Count; i += 2)
        {
            await Task.WhenAll(plans.Skip(i).Take(2).Select(p => p.RunAsync()));
        }
    }

    /// <summary>
    /// Two streams cut by the deadline while every DynamoDB call of the function takes longer than
    /// the time left: their records can only be unwritten lines, written before the sandbox ends.
    /// </summary>
    private async Task SlowDynamoAtDeadlineAsync(Random random)
    {
        using var timeout = new CancellationTokenSource(Guard);
        var streams = new List<(HttpResponseMessage Response, Stream Body)>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                string json = $$"""{"modelId":"fault.hang-after:1.amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"slow {{random.Next()}}"}]}]}""";
                HttpResponseMessage response = await stack.Http.SendAsync(
                    stack.PostAsBilling(stack.FunctionUrl, "/converse", json), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
                streams.Add((response, body));
                await StreamReading.ReadUntilAsync(body, "contentBlockDelta", timeout.Token);
            }
            stack.SlowDynamo.Delay = TimeSpan.FromSeconds(10);
            await Task.WhenAll(streams.Select(s => StreamReading.ReadToEndAsync(s.Body, timeout.Token)));
            // The workers' bookkeeping ends before their deadline, which is at most 2 s after the streams.
            await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        }
        finally
        {
            stack.SlowDynamo.Delay = TimeSpan.Zero;
            foreach ((HttpResponseMessage response, Stream body) in streams)
            {
                await body.DisposeAsync();
                response.Dispose();
            }
        }
    }
}
