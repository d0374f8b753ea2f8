using System.Net;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// Token limits and the concurrency cap under concurrent requests, through the real bootstrap (four
/// workers) against dynalite and the simulator.
/// </summary>
public sealed class LimitsHoldStackTests(LimitsStackFixture stack) : IClassFixture<LimitsStackFixture>
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    /// <summary>200 words of five letters: the simulator counts 203 input tokens, the proxy estimates about 400.</summary>
    private static readonly string TwoHundredWords = string.Join(' ', Enumerable.Repeat("alpha", 200));

    private static string Stream(string model, string? inferenceConfig = null) =>
        $$"""{"modelId":"{{model}}","stream":true,{{(inferenceConfig is null ? "" : $"\"inferenceConfig\":{inferenceConfig},")}}"messages":[{"role":"user","content":[{"text":"{{TwoHundredWords}}"}]}]}""";

    [Fact]
    public async Task MonthlyQuota50_EightConcurrent200WordStreamsWithoutMaxTokens_UseAtMostQuotaPlusOneRequest()
    {
        const long Quota = 50;
        (string key, _) = await stack.Stack.AddCustomerAsync("quota-50", new CustomerLimits(null, null, null, Quota), [], Timeout);

        (HttpStatusCode Status, string Body)[] answers = await SendConcurrentlyAsync(8, Stream("sim.chunks:4.amazon.nova-lite-v1:0"), key);

        int admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.True(admitted >= 1, string.Join('\n', answers.Select(a => a.Body)));
        (long used, long largest) = await UsedAsync("quota-50", admitted);
        Assert.True(used <= Quota + largest, $"used {used} of {Quota} (largest request {largest}), {admitted} admitted");
        string refusal = answers.First(a => a.Status == (HttpStatusCode)429).Body;
        Assert.Contains("Monthly token quota", refusal, StringComparison.Ordinal);
        Assert.Contains("reserves", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensPerMinute_EightConcurrentStreamsWithMaxTokens_UseAtMostLimitPlusOneRequest()
    {
        const long Limit = 1500;
        // The whole burst must fall into one minute: the sliding window admits more in the next one, by design.
        while (DateTimeOffset.UtcNow.Second > 40)
        {
            await Task.Delay(500, Timeout);
        }
        (string key, _) = await stack.Stack.AddCustomerAsync("tpm-1500", new CustomerLimits(null, Limit, null, null), [], Timeout);

        (HttpStatusCode Status, string Body)[] answers = await SendConcurrentlyAsync(8, Stream("sim.chunks:4.amazon.nova-lite-v1:0", """{"maxTokens":300}"""), key);

        int admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.InRange(admitted, 1, 7);
        (long used, long largest) = await UsedAsync("tpm-1500", admitted);
        Assert.True(used <= Limit + largest, $"used {used} of {Limit} (largest request {largest}), {admitted} admitted");
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Contains("tokens per minute", a.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxConcurrent2_FourConcurrentSlowStreams_TwoRefusedWith429AndRetryAfter_ThenSlotsFree()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("cap-2", new CustomerLimits(null, null, null, null) { MaxConcurrent = 2 }, [], Timeout);
        // Eight seconds each, so all four are in flight together even on a loaded machine.
        string slow = """{"modelId":"sim.delay:800.chunks:10.amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"slow one"}]}]}""";

        var requests = Enumerable.Range(0, 4).Select(async _ =>
        {
            using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", slow, key), Timeout);
            return (answer.StatusCode, answer.Headers.RetryAfter, Body: await answer.Content.ReadAsStringAsync(Timeout));
        });
        var answers = await Task.WhenAll(requests);

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal((HttpStatusCode)429, a.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), a.RetryAfter!.Delta);
            Assert.Contains("max_concurrent", a.Body, StringComparison.Ordinal);
        });
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.OK), a => Assert.Contains("messageStop", a.Body, StringComparison.Ordinal));

        // Each slot goes back after its request's bookkeeping: the map empties and a new request is admitted.
        await SlotsEmptyAsync("cap-2");
        using HttpResponseMessage after = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", slow, key), Timeout);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task MaxConcurrent1_CrashedHolderPastItsDeadline_DoesNotBlock()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("cap-crashed", new CustomerLimits(null, null, null, null) { MaxConcurrent = 1 }, [], Timeout);
        await stack.Stack.Dynamo.Client.PutItemAsync(new PutItemRequest
        {
            TableName = stack.Stack.Dynamo.Tables.RateLimits,
            Item = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = "conc#cap-crashed" },
                ["slots"] = new() { M = new() { ["crashed-sandbox"] = CounterItem.Number(DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds()) } },
            },
        }, Timeout);

        using HttpResponseMessage answer = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", """{"modelId":"amazon.nova-lite-v1:0","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", key), Timeout);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await SlotsEmptyAsync("cap-crashed");
    }

    [Fact]
    public async Task MaxConcurrent1_RefusedByTokenQuotaOrFailedAtBedrock_SlotGivenBackEachTime()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("cap-refused", new CustomerLimits(null, null, null, 10) { MaxConcurrent = 1 }, [], Timeout);
        await stack.Stack.Dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = stack.Stack.Dynamo.Tables.RateLimits,
            Key = CounterItem.Key("cap-refused"),
            UpdateExpression = "SET mt = :used, mon = :mon",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":used"] = CounterItem.Number(10),
                [":mon"] = new() { S = CounterItem.MonthOf(DateTimeOffset.UtcNow) },
            },
        }, Timeout);

        using (HttpResponseMessage quota = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Stream("amazon.nova-lite-v1:0"), key), Timeout))
        {
            Assert.Equal((HttpStatusCode)429, quota.StatusCode);
            Assert.Contains("Monthly token quota", await quota.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
        }
        await SlotsEmptyAsync("cap-refused");

        await stack.Stack.Dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = stack.Stack.Dynamo.Tables.RateLimits,
            Key = CounterItem.Key("cap-refused"),
            UpdateExpression = "SET mt = :zero",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":zero"] = CounterItem.Number(0) },
        }, Timeout);
        using (HttpResponseMessage failed = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", """{"modelId":"fault.validation.amazon.nova-lite-v1:0","messages":[{"role":"user","content":[{"text":"x"}]}]}""", key), Timeout))
        {
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        }
        await SlotsEmptyAsync("cap-refused");
    }

    private async Task<(HttpStatusCode Status, string Body)[]> SendConcurrentlyAsync(int count, string body, string key) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", body, key), Timeout);
            return (answer.StatusCode, await answer.Content.ReadAsStringAsync(Timeout));
        }));

    /// <summary>Tokens the customer used this month once all admitted requests are recorded, and the largest single request.</summary>
    private async Task<(long Used, long Largest)> UsedAsync(string customerId, int admitted)
    {
        List<UsageRecord> records = await RecordedUsage.WaitAsync(stack, customerId, admitted, Timeout);
        return (records.Sum(r => r.Tokens?.LimitedTokens ?? 0), records.Max(r => r.Tokens?.LimitedTokens ?? 0));
    }

    private async Task SlotsEmptyAsync(string customerId)
    {
        int held = -1;
        for (int i = 0; i < 200 && held != 0; i++)
        {
            GetItemResponse item = await stack.Stack.Dynamo.Client.GetItemAsync(new GetItemRequest
            {
                TableName = stack.Stack.Dynamo.Tables.RateLimits,
                Key = SlotWrite.Key(customerId),
                ConsistentRead = true,
            }, Timeout);
            held = item.Item is not null && item.Item.TryGetValue("slots", out AttributeValue? slots) ? slots.M.Count : 0;
            if (held != 0)
            {
                await Task.Delay(50, Timeout);
            }
        }
        Assert.True(held == 0, $"{customerId} still holds {held} slot(s)\n{stack.WorkerLogText()}");
    }
}
