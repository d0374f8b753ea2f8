using System.Net;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// API keys with limits of their own, inside their customer's, through the real bootstrap (four workers) against
/// dynalite and the simulator, with prices for dollar budgets (<see cref="BudgetStackFixture"/>).
/// </summary>
public sealed class KeyLimitsStackTests(BudgetStackFixture stack) : IClassFixture<BudgetStackFixture>
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    private const string Hello = """{"modelId":"amazon.nova-lite-v1:0","inferenceConfig":{"maxTokens":50},"messages":[{"role":"user","content":[{"text":"hi"}]}]}""";

    [Fact]
    public async Task KeyRpm2_UnlimitedCustomer_Third429NamesTheKeysLimit_AnotherKeyOfTheCustomerServed()
    {
        await InsideOneMinuteAsync();
        (string _, _) = await stack.Stack.AddCustomerAsync("key-rpm-2", CustomerLimits.None, [], Timeout);
        (string limited, _) = await IssueAsync("key-rpm-2", new CustomerLimits(2, null, null, null));
        (string other, _) = await IssueAsync("key-rpm-2", null);

        var statuses = new List<HttpStatusCode>();
        string third = "";
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Hello, limited), Timeout);
            statuses.Add(answer.StatusCode);
            third = await answer.Content.ReadAsStringAsync(Timeout);
        }
        using HttpResponseMessage otherAnswer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Hello, other), Timeout);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        Assert.Contains("at most 2 requests per minute for this API key", third, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherAnswer.StatusCode);
        Assert.Equal(RateLimitHeaders.Unlimited, BudgetStackFixture.Header(otherAnswer, RateLimitHeaders.LimitRequests));
    }

    [Fact]
    public async Task KeyBudgetTwoCents_EightConcurrentStreams_KeySpendsAtMostBudgetPlusOneRequest_AndItsCounterSettles()
    {
        const long Budget = 20_000;
        await stack.Stack.AddCustomerAsync("key-budget-2c", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 10_000_000 }, [], Timeout);
        (string key, string keyId) = await IssueAsync("key-budget-2c", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = Budget });

        // The same burst as the customer-budget test: each reserves about 5,700 micro-dollars and costs about 3,600.
        (HttpStatusCode Status, string Body, string? Remaining)[] answers = await stack.EightStreamsAsync(key, Timeout);

        int admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.True(admitted >= 1, string.Join('\n', answers.Select(a => a.Body)));
        Assert.Contains(answers, a => a.Status == (HttpStatusCode)429);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, (HttpStatusCode)429, HttpStatusCode.ServiceUnavailable }));
        // The header shows the tighter budget: the key's two cents, not the customer's ten dollars.
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.OK), a => Assert.InRange(decimal.Parse(a.Remaining!, System.Globalization.CultureInfo.InvariantCulture), 0m, 0.02m));
        Assert.All(answers.Where(a => a.Status == (HttpStatusCode)429),
            a => Assert.Contains("Monthly budget of 0.02 USD is used up for this API key", a.Body, StringComparison.Ordinal));
        List<UsageRecord> records = await RecordedUsage.WaitAsync(stack, "key-budget-2c", admitted, Timeout);
        List<long> costs = records.Select(r => r.CostMicroUsd!.Value).ToList();
        Assert.True(costs.Sum() <= Budget + costs.Max(), $"spent {costs.Sum()} of {Budget} micro-dollars (largest {costs.Max()}), {admitted} admitted");
        // Both counters settle to the actual cost: the key's, and its customer's (refusals gave their reservations back).
        await Eventually.TrueAsync(async () => await stack.MonthCostAsync(LimitScope.ApiKey.PartitionKey(keyId), Timeout) == costs.Sum()
            && await stack.MonthCostAsync(CounterItem.PartitionKey("key-budget-2c"), Timeout) == costs.Sum(), "both month-cost counters settled");
    }

    [Fact]
    public async Task KeyMaxConcurrent1_TwoConcurrentSlowStreams_Second429NamesTheKey_ThenItsSlotFrees()
    {
        await stack.Stack.AddCustomerAsync("key-cap-1", CustomerLimits.None, [], Timeout);
        (string key, string keyId) = await IssueAsync("key-cap-1", new CustomerLimits(null, null, null, null) { MaxConcurrent = 1 });
        string slow = """{"modelId":"sim.delay:800.chunks:10.amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"slow one"}]}]}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", slow, key), Timeout);
            return (answer.StatusCode, Body: await answer.Content.ReadAsStringAsync(Timeout));
        }));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        (HttpStatusCode _, string body) = Assert.Single(answers, a => a.StatusCode == (HttpStatusCode)429);
        Assert.Contains("at most 1 requests in flight at once for this API key (max_concurrent)", body, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            GetItemResponse item = await stack.Stack.Dynamo.Client.GetItemAsync(new GetItemRequest
            {
                TableName = stack.Stack.Dynamo.Tables.RateLimits,
                Key = SlotWrite.Key(LimitScope.ApiKey.SlotId(keyId)),
                ConsistentRead = true,
            }, Timeout);
            return item.Item is not null && item.Item.TryGetValue("slots", out AttributeValue? slots) && slots.M.Count == 0;
        }, "the key's slot given back");
        using HttpResponseMessage after = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Hello, key), Timeout);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task CustomerQuota_KeyWithLooserLimits_CustomersLimitStillBinds()
    {
        await stack.Stack.AddCustomerAsync("key-loose", new CustomerLimits(null, null, null, 10), [], Timeout);
        (string key, _) = await IssueAsync("key-loose", new CustomerLimits(1000, null, null, 1_000_000));

        using HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Hello, key), Timeout);
        using HttpResponseMessage second = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Hello, key), Timeout);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Contains("Monthly token quota of 10 tokens is used up for this customer", await second.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyBudgetUsedUp_OpenAiSurface_429InsufficientQuota()
    {
        await stack.Stack.AddCustomerAsync("key-budget-spent", CustomerLimits.None, [], Timeout);
        (string key, string keyId) = await IssueAsync("key-budget-spent", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 1_000_000 });
        await stack.SpendAsync(LimitScope.ApiKey.PartitionKey(keyId), 999_000, Timeout);

        (HttpStatusCode status, string body, string? remaining) = await stack.OpenAiChatAsync(key, Timeout);

        Assert.Equal((HttpStatusCode)429, status);
        Assert.Contains("\"code\":\"insufficient_quota\"", body, StringComparison.Ordinal);
        Assert.Contains("for this API key", body, StringComparison.Ordinal);
        Assert.Equal("0.001", remaining);
    }

    private async Task<(string Key, string KeyId)> IssueAsync(string customerId, CustomerLimits? limits)
    {
        var customers = new CustomerStore(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables);
        var keys = new ApiKeyStore(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables);
        (IssuedApiKey key, ApiKeyRecord record) = await new ApiKeyIssuer(keys, customers, TimeProvider.System)
            .IssueAsync(customerId, null, Timeout, limits: limits);
        return (key.Key, record.KeyId);
    }

    /// <summary>A burst that must fall into one minute: the sliding window admits more in the next one, by design.</summary>
    private static async Task InsideOneMinuteAsync()
    {
        while (DateTimeOffset.UtcNow.Second > 40)
        {
            await Task.Delay(500, Timeout);
        }
    }
}
