using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// Dollar budgets through the real bootstrap (four workers) against dynalite and the simulator, with
/// prices from PRICES_EXTRA (<see cref="BudgetStackFixture"/>).
/// </summary>
public sealed class DollarBudgetStackTests(BudgetStackFixture stack) : IClassFixture<BudgetStackFixture>
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task TwoCents_EightConcurrentStreams_SpendAtMostBudgetPlusOneRequest_AndTheCounterSettlesToTheActualCost()
    {
        const long Budget = 20_000;
        (string key, _) = await stack.Stack.AddCustomerAsync("budget-2c", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = Budget }, [], Timeout);

        // Each reserves about 400 × $3/M + 300 × $15/M ≈ 5,700 micro-dollars (three fit at once) and costs
        // 203 × $3/M + about 200 × $15/M ≈ 3,600 (the simulator echoes the input): eight cost more than the
        // budget plus one request, so admission has to refuse some.
        (HttpStatusCode Status, string Body, string? Remaining)[] answers = await stack.EightStreamsAsync(key, Timeout);

        int admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.True(admitted >= 1, string.Join('\n', answers.Select(a => a.Body)));
        Assert.Contains(answers, a => a.Status == (HttpStatusCode)429);
        // 503 is the fail-closed answer when DynamoDB (dynalite on a loaded machine) does not answer in time.
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, (HttpStatusCode)429, HttpStatusCode.ServiceUnavailable }));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.ServiceUnavailable), a => Assert.NotNull(a.Remaining));
        (long spent, long largest, long counter) = await SpentAsync("budget-2c", admitted);
        Assert.True(spent <= Budget + largest, $"spent {spent} of {Budget} micro-dollars (largest request {largest}), {admitted} admitted");
        // Every reservation was settled to its request's actual cost.
        Assert.Equal(spent, counter);
        Assert.All(answers.Where(a => a.Status == (HttpStatusCode)429),
            a => Assert.Contains("Monthly budget of 0.02 USD", a.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BudgetUsedUp_OpenAiSurface_429InsufficientQuotaWithRemainingBudgetHeader()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("budget-spent", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 1_000_000 }, [], Timeout);
        await stack.SpendAsync(CounterItem.PartitionKey("budget-spent"), 999_000, Timeout);

        (HttpStatusCode status, string body, string? remaining) = await stack.OpenAiChatAsync(key, Timeout);

        Assert.Equal((HttpStatusCode)429, status);
        Assert.Contains("\"code\":\"insufficient_quota\"", body, StringComparison.Ordinal);
        Assert.Contains("Monthly budget of 1.00 USD", body, StringComparison.Ordinal);
        Assert.Contains("0.001 USD remains", body, StringComparison.Ordinal);
        Assert.Equal("0.001", remaining);
    }

    [Fact]
    public async Task Budget_AdmittedAnswer_CarriesTheRemainingBudget()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("budget-header", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 5_000_000 }, [], Timeout);

        using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse",
            """{"modelId":"amazon.nova-lite-v1:0","inferenceConfig":{"maxTokens":100},"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", key), Timeout);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        decimal remaining = decimal.Parse(BudgetStackFixture.Header(answer, RateLimitHeaders.BudgetRemaining)!, CultureInfo.InvariantCulture);
        // The admission reserved this request's worst case: a little under $5 is left.
        Assert.InRange(remaining, 4.99m, 4.999999m);
    }

    [Fact]
    public async Task Budget_UnpricedModel_403NamesTheModelAndTheBudget()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("budget-unpriced", new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 5_000_000 }, [], Timeout);

        using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse",
            """{"modelId":"meta.llama3-8b-instruct-v1:0","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", key), Timeout);

        string body = await answer.Content.ReadAsStringAsync(Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("'meta.llama3-8b-instruct-v1:0' has no price", body, StringComparison.Ordinal);
        Assert.Contains("monthly budget of 5.00 USD", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoBudget_UnpricedModel_Admitted()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("nobudget-unpriced", new CustomerLimits(null, null, null, 100_000), [], Timeout);

        using HttpResponseMessage answer = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse",
            """{"modelId":"meta.llama3-8b-instruct-v1:0","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", key), Timeout);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Null(BudgetStackFixture.Header(answer, RateLimitHeaders.BudgetRemaining));
    }

    /// <summary>
    /// Micro-dollars the customer's recorded requests cost at the fixture's prices once all admitted ones are
    /// recorded, the most expensive one, and the month-cost counter the budget is enforced on.
    /// </summary>
    private async Task<(long Spent, long Largest, long Counter)> SpentAsync(string customerId, int admitted)
    {
        var price = new BedrockLambdaProxy.Pricing.ModelPrice(BudgetStackFixture.Model, BedrockLambdaProxy.Pricing.PriceTier.InRegion,
            BudgetStackFixture.InputMicroUsdPerMillion, BudgetStackFixture.OutputMicroUsdPerMillion, 300_000, 3_750_000, "test");
        List<long> costs = (await RecordedUsage.WaitAsync(stack, customerId, admitted, Timeout))
            .Select(r => r.CostMicroUsd ?? price.CostMicroUsd(r.Tokens ?? TokenUsage.Zero))
            .ToList();
        return (costs.Sum(), costs.Max(), await stack.MonthCostAsync(CounterItem.PartitionKey(customerId), Timeout));
    }
}
