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
/// of served calls is compared with the usage table, after the unwritten lines are replayed. Embeddings
/// requests make several Bedrock calls each (Titan: one per input; Cohere: one per 96 texts) and write one
/// record naming them all; the endings they can meet (the deadline, a throttle on one of their calls, a
/// caller that leaves, a slow DynamoDB) are put on one call through a <c>fault.&lt;spec&gt;</c> text.
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
        EmbeddingsTitan,
        EmbeddingsCohere,
        /// <summary>One Titan call throttled: once (retried, served) or more often than the proxy retries (the request fails, the other calls billed).</summary>
        EmbeddingsThrottledCall,
        ThrottledThenServed,
        RefusedBeforeFirstByte,
        MidStreamException,
        CallerGone,
        EmbeddingsCallerGone,
        Deadline,
        Oversize,
        /// <summary>One Titan call hangs: the deadline ends the request, the calls served before it are billed.</summary>
        EmbeddingsDeadline,
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

        // Bookkeeping follows each answer and ends, at worst, just before the function's deadline; so does the work of a
        // request whose caller left (an embeddings call still being retried), so the ledger is read after it too.
        await Task.Delay(stack.FunctionTimeout);
        IReadOnlyList<ServedCall> served = stack.ServedCalls();
        string unwritten = string.Join('\n', stack.Stack.Lambda.WorkerLogs.Select(l => l.Text)
            .Where(t => t.Contains("\"event_type\":\"usage_record_unwritten\"", StringComparison.Ordinal)));
        var replay = new UsageReplay(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits, TimeProvider.System);
        await replay.ReplayAllAsync(new StringReader(unwritten), CancellationToken.None);
        List<UsageRecord> records = await stack.UsageRecordsAsync();

        var failures = new List<string>();
        foreach (ServedCall call in served)
        {
            int matching = records.Count(r => Named(r).Contains(call.RequestId));
            if (matching != 1)
            {
                failures.Add($"{call.Operation} {call.ModelId} ({call.RequestId}): {matching} records");
            }
        }
        foreach (UsageRecord record in records)
        {
            IReadOnlyList<string> named = Named(record);
            List<ServedCall> calls = served.Where(c => named.Contains(c.RequestId)).ToList();
            foreach (string phantom in named.Where(id => calls.All(c => c.RequestId != id)))
            {
                failures.Add($"record {record.RequestId} names Bedrock request {phantom}, which the simulator never served");
            }
            if (calls.Count == 0)
            {
                continue;
            }
            // One call's counts, or the sum over the calls of a several-call (embeddings) request.
            TokenUsage expected = new(calls.Sum(c => c.InputTokens), calls.Sum(c => c.OutputTokens),
                calls.Sum(c => c.CacheReadInputTokens), calls.Sum(c => c.CacheWriteInputTokens));
            if (!record.Estimated && record.Tokens != expected)
            {
                failures.Add($"{record.ModelId} ({record.ErrorType}, {calls.Count} calls): Bedrock's counts {expected}, recorded {record.Tokens}");
            }
            if (record.Estimated && (record.Tokens is null || record.Tokens.InputTokens <= 0))
            {
                failures.Add($"{record.ModelId} ({record.ErrorType}): estimated without tokens: {record.Tokens}");
            }
            if (record.BedrockRequestIds is not null && record.BedrockCalls != calls.Count)
            {
                failures.Add($"{record.ModelId} ({record.ErrorType}): {calls.Count} calls served, record says {record.BedrockCalls}");
            }
        }
        if (!records.Any(r => r.Surface == "openai-embeddings" && r.BedrockCalls > 1))
        {
            failures.Add("no embeddings request made several Bedrock calls: the test no longer reconciles them");
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

    /// <summary>
    /// The Bedrock calls a record names: every call of a several-call (embeddings) request, else its one call. Only the
    /// list counts for a record that has one, so a call left out of it is a served call without a record.
    /// </summary>
    private static IReadOnlyList<string> Named(UsageRecord record) =>
        record.BedrockRequestIds ?? (record.BedrockRequestId is string id ? [id] : []);

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
        // Each embeddings request its own model id (the proxy and the simulator read the family from its start), so its calls can be told apart in the ledger.
        string titan = $"amazon.titan-embed-text-v2-r{index}:0";
        string Embed(string model, int inputs, string? fault = null)
        {
            List<string> texts = [.. Enumerable.Range(0, inputs).Select(i => $"{prompt} {i}")];
            if (fault is not null)
            {
                texts[random.Next(texts.Count)] = "fault." + fault;
            }
            string list = string.Join(',', texts.Select(t => $"\"{t}\""));
            return $$"""{"model":"{{model}}","input":[{{list}}]}""";
        }
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
            Kind.EmbeddingsTitan => Read(kind, random.Next(2) == 0 ? stack.FunctionUrl : stack.ApiGatewayUrl, "/v1/embeddings", Embed(titan, random.Next(2, 7))),
            // Up to 130 texts: one call of 96 and a second with the rest, or a single call.
            Kind.EmbeddingsCohere => Read(kind, stack.FunctionUrl, "/v1/embeddings", Embed($"cohere.embed-english-v3-r{index}", random.Next(2, 131))),
            // Throttled once (retried and served), or on every attempt the proxy makes (4): the request fails, its other calls are billed.
            Kind.EmbeddingsThrottledCall => Read(kind, stack.FunctionUrl, "/v1/embeddings",
                Embed(titan, random.Next(3, 7), random.Next(2) == 0 ? "throttle:1" : "throttle:9")),
            Kind.EmbeddingsCallerGone => new RequestPlan(kind, () => LeaveEmbeddingsAsync(titan, Embed(titan, random.Next(3, 7), "throttle:2")), true),
            Kind.EmbeddingsDeadline => Read(kind, stack.FunctionUrl, "/v1/embeddings", Embed(titan, random.Next(3, 7), "hang")),
            // Throttled on the first attempt, served on the retry: one served call, one record.
            Kind.ThrottledThenServed => Read(kind, stack.FunctionUrl, "/converse", Seed("fault.throttle:1." + nova, random.Next(2) == 0)),
            Kind.RefusedBeforeFirstByte => Read(kind, stack.FunctionUrl, "/converse",
                Seed($"fault.{(random.Next(2) == 0 ? "validation" : "access-denied")}.{nova}", true), served: false),
            Kind.MidStreamException => Read(kind, random.Next(2) == 0 ? stack.FunctionUrl : stack.ApiGatewayUrl, "/converse",
                Seed($"fault.fail-after:{random.Next(0, 3)}.sim.chunks:{chunks + 3}.amazon.nova-lite-v1:0", true)),
            Kind.CallerGone => new RequestPlan(kind, () => LeaveAfterFirstDeltaAsync(Seed("sim.delay:200.chunks:12.amazon.nova-lite-v1:0", true)), true),
            Kind.Deadline => Read(kind, stack.FunctionUrl, "/converse", Seed($"fault.hang-after:{random.Next(0, 3)}.{nova}", true)),
            Kind.Oversize => Read(kind, stack.ApiGatewayUrl, "/converse", Seed("sim.bytes:6500000.amazon.nova-lite-v1:0", random.Next(2) == 0)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
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

    /// <summary>
    /// The caller leaves an embeddings request once Bedrock served one of its calls, while another (throttled twice)
    /// is still being retried: the proxy finishes the calls and answers nobody, and every served call is billed.
    /// </summary>
    private async Task LeaveEmbeddingsAsync(string model, string json)
    {
        using var leave = new CancellationTokenSource(Guard);
        Task<HttpResponseMessage> sending = stack.Http.SendAsync(
            stack.PostAsBilling(stack.FunctionUrl, "/v1/embeddings", json), HttpCompletionOption.ResponseHeadersRead, leave.Token);
        await Eventually.WaitAsync(() => sending.IsCompleted || stack.ServedCalls().Any(c => c.ModelId == model), Guard);
        await leave.CancelAsync();
        try
        {
            (await sending).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Gone before the answer: what this request is for.
        }
    }

    private static async Task RunAsync(List<RequestPlan> plans)
    {
        for (int i = 0; i < plans.Count; i += 2)
        {
            await Task.WhenAll(plans.Skip(i).Take(2).Select(p => p.RunAsync()));
        }
    }

    /// <summary>
    /// A stream and an embeddings request cut by the deadline while every DynamoDB call of the function takes longer
    /// than the time left: their records can only be unwritten lines, written before the sandbox ends; the embeddings
    /// one names the two calls Bedrock served before its third hung.
    /// </summary>
    private async Task SlowDynamoAtDeadlineAsync(Random random)
    {
        using var timeout = new CancellationTokenSource(Guard);
        HttpResponseMessage? stream = null;
        Stream? body = null;
        try
        {
            string json = $$"""{"modelId":"fault.hang-after:1.amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"slow {{random.Next()}}"}]}]}""";
            stream = await stack.Http.SendAsync(
                stack.PostAsBilling(stack.FunctionUrl, "/converse", json), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            body = await stream.Content.ReadAsStreamAsync(timeout.Token);
            await StreamReading.ReadUntilAsync(body, "contentBlockDelta", timeout.Token);
            string model = $"amazon.titan-embed-text-v2-slow{random.Next()}:0";
            Task<HttpResponseMessage> embedding = stack.Http.SendAsync(stack.PostAsBilling(stack.FunctionUrl, "/v1/embeddings",
                $$"""{"model":"{{model}}","input":["slow one","fault.hang","slow two"]}"""), timeout.Token);
            await Eventually.WaitAsync(() => embedding.IsCompleted || stack.ServedCalls().Count(c => c.ModelId == model) == 2, Guard);
            // Room for the admission write that may run beside the calls, so that what meets the slow DynamoDB is the
            // bookkeeping at the deadline (were admission to meet it instead, the billing must hold all the same).
            await Task.Delay(TimeSpan.FromMilliseconds(300), timeout.Token);
            stack.SlowDynamo.Delay = TimeSpan.FromSeconds(10);
            await StreamReading.ReadToEndAsync(body, timeout.Token);
            (await embedding).Dispose();
            // The workers' bookkeeping ends before their deadline, which is at most 2 s after the answers.
            await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        }
        finally
        {
            stack.SlowDynamo.Delay = TimeSpan.Zero;
            if (body is not null)
            {
                await body.DisposeAsync();
            }
            stream?.Dispose();
        }
    }
}
