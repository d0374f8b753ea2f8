using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

/// <summary>An API key's own limits: its counter item, how its refusals are named, and the headers of two sets of limits.</summary>
public sealed class KeyLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Build_ApiKeyScope_WritesTheKeysOwnCounterItem()
    {
        UpdateItemRequest key = AdmissionWrite.Build("t", "bk_abcd1234", new CustomerLimits(2, null, null, null), CounterState.From([]), Now, 10, scope: LimitScope.ApiKey);
        UpdateItemRequest customer = AdmissionWrite.Build("t", "cus_1", new CustomerLimits(2, null, null, null), CounterState.From([]), Now, 10);

        Assert.Equal("key#bk_abcd1234", key.Key["pk"].S);
        Assert.Equal("cust#cus_1", customer.Key["pk"].S);
        // The same write otherwise: one conditional UpdateItem of the same shape.
        Assert.Equal(customer.UpdateExpression, key.UpdateExpression);
        Assert.Equal(customer.ConditionExpression, key.ConditionExpression);
    }

    [Fact]
    public void SlotId_KeyAndCustomer_NeverTheSameConcurrencyItem()
    {
        Assert.Equal("cus_1", LimitScope.Customer.SlotId("cus_1"));
        Assert.Equal("key#bk_abcd1234", LimitScope.ApiKey.SlotId("bk_abcd1234"));
        // Customer ids cannot hold '#', so no customer's slot item is a key's.
        Assert.False(CustomerRecord.IsValidId(LimitScope.ApiKey.SlotId("bk_abcd1234")));
    }

    public static TheoryData<string, string> Messages => new()
    {
        { LimitNames.RequestsPerMinute, "Rate limit exceeded: at most 2 requests per minute for {0}." },
        { LimitNames.TokensPerMinute, "Rate limit exceeded: at most 300 tokens per minute for {0}." },
        { LimitNames.TokensPerDay, "Rate limit exceeded: at most 4000 tokens per day (UTC) for {0}." },
        { LimitNames.MonthlyTokenQuota, "Monthly token quota of 50000 tokens is used up for {0}." },
        { LimitNames.MonthlyBudget, "Monthly budget of 1.50 USD is used up for {0}." },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Describe_EachLimit_NamesWhoseLimitItIs(string limit, string expected)
    {
        var limits = new CustomerLimits(2, 300, 4000, 50_000) { MonthlyBudgetMicroUsd = 1_500_000 };

        Assert.Equal(string.Format(null, expected, "this API key"), LimitEvaluator.Describe(limit, limits, LimitScope.ApiKey));
        Assert.Equal(string.Format(null, expected, "this customer"), LimitEvaluator.Describe(limit, limits));
    }

    [Fact]
    public void DescribeBudget_ApiKeyScope_NamesTheKey()
    {
        var limits = new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 20_000 };

        string message = LimitEvaluator.DescribeBudget(limits, new WindowView(0, 0, 0, 0, 0, 0, MonthCost: 18_000), 5_700, "m", LimitScope.ApiKey);

        Assert.StartsWith("Monthly budget of 0.02 USD is used up for this API key: 0.002 USD remains", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tighter_KeyAllowsFewerRequestsCustomerFewerTokens_EachFromTheTighterSet()
    {
        IReadOnlyList<KeyValuePair<string, string>> customer = RateLimitHeaders.Build(
            new CustomerLimits(100, 1000, null, null) { MonthlyBudgetMicroUsd = 10_000_000 }, new WindowView(10, 0, 900, 0, 0, 0, MonthCost: 1_000_000), Now, null);
        IReadOnlyList<KeyValuePair<string, string>> key = RateLimitHeaders.Build(
            new CustomerLimits(5, null, null, null) { MonthlyBudgetMicroUsd = 2_000_000 }, new WindowView(3, 0, 0, 0, 0, 0, MonthCost: 500_000), Now, null);

        IReadOnlyList<KeyValuePair<string, string>> headers = RateLimitHeaders.Tighter(customer, key);

        Assert.Equal(
            [
                new(RateLimitHeaders.LimitRequests, "5"),
                new(RateLimitHeaders.RemainingRequests, "2"),
                new(RateLimitHeaders.ResetRequests, "90s"),
                new(RateLimitHeaders.LimitTokens, "1000"),
                new(RateLimitHeaders.RemainingTokens, "100"),
                new(RateLimitHeaders.ResetTokens, "90s"),
                new(RateLimitHeaders.BudgetRemaining, "1.50"),
            ],
            headers);
    }

    [Fact]
    public void Tighter_BothUnlimitedOneBudget_KeepsUnlimitedAndTheOnlyBudget()
    {
        IReadOnlyList<KeyValuePair<string, string>> customer = RateLimitHeaders.Build(CustomerLimits.None, default, Now, null);
        IReadOnlyList<KeyValuePair<string, string>> key = RateLimitHeaders.Build(
            new CustomerLimits(null, null, null, null) { MonthlyBudgetMicroUsd = 2_000_000 }, default, Now, null);

        IReadOnlyList<KeyValuePair<string, string>> headers = RateLimitHeaders.Tighter(customer, key);

        Assert.Equal(RateLimitHeaders.Unlimited, headers.Single(h => h.Key == RateLimitHeaders.LimitRequests).Value);
        Assert.Equal(RateLimitHeaders.Unlimited, headers.Single(h => h.Key == RateLimitHeaders.RemainingTokens).Value);
        Assert.Equal("2.00", headers.Single(h => h.Key == RateLimitHeaders.BudgetRemaining).Value);
    }

    [Fact]
    public void Settlement_ApiKeyAdmission_CorrectsTheKeysItem()
    {
        var settlement = new Settlement("bk_abcd1234", 10, 1, 1, "2026-12") { PartitionKey = LimitScope.ApiKey.PartitionKey("bk_abcd1234") };

        Assert.Equal("key#bk_abcd1234", settlement.PartitionKey);
        Assert.Equal("cust#c", new Settlement("c", 10, 1, 1, "2026-12").PartitionKey);
    }
}
