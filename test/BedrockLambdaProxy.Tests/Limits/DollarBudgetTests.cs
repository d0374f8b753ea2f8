using System.Text;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Limits;

/// <summary>The dollar budget: the month-cost counter in the admission write, its settlement, its refusal and header.</summary>
public sealed class DollarBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);

    // $3 per million input tokens, $15 per million output tokens.
    private static readonly ModelPrice Price = new("m", PriceTier.InRegion, 3_000_000, 15_000_000, 300_000, 3_750_000, "test");

    private static readonly CustomerLimits Budget = new(null, null, null, null) { MonthlyBudgetMicroUsd = 10_000_000 };

    private static CounterState SameMonth(long monthCost) => new(
        true, CounterItem.MinuteOf(Now), 0, 0, 0, 0, CounterItem.DayOf(Now), 0, CounterItem.MonthOf(Now), 0, monthCost);

    [Fact]
    public void CostReservationFor_PricedModel_InputEstimateAtInputPriceAndOutputCapAtOutputPrice()
    {
        CostReservation cost = CostReservation.For(new TokenReservation(1000, 2000, false), "m", new PriceBook([Price]));

        // 1000 × $3/M + 2000 × $15/M = $0.003 + $0.030.
        Assert.Equal(33_000, cost.MicroUsd);
        Assert.Same(Price, cost.Price);
        Assert.False(cost.Unpriced);
    }

    [Fact]
    public void CostReservationFor_UnpricedModel_IsUnpriced()
    {
        CostReservation cost = CostReservation.For(new TokenReservation(1000, 2000, false), "other", new PriceBook([Price]));

        Assert.True(cost.Unpriced);
        Assert.Null(cost.Price);
    }

    [Fact]
    public void CostReservationFor_NothingReserved_IsNotUnpriced()
    {
        Assert.False(CostReservation.For(default, "other", PriceBook.Empty).Unpriced);
    }

    [Fact]
    public void Build_Budget_ChargesTheCostAndConditionsTheMonthCounter()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", Budget, SameMonth(0), Now, 3000, 33_000);

        Assert.Contains("mc :cres", write.UpdateExpression, StringComparison.Ordinal);
        Assert.Equal("33000", write.ExpressionAttributeValues[":cres"].N);
        Assert.Contains("(attribute_not_exists(mc) OR mc <= :maxMc)", write.ConditionExpression, StringComparison.Ordinal);
        Assert.Equal("9967000", write.ExpressionAttributeValues[":maxMc"].N);
    }

    [Fact]
    public void Build_CostLargerThanTheBudget_NeedsTheMonthEmpty()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", Budget, SameMonth(0), Now, 3000, 50_000_000);

        Assert.Equal("0", write.ExpressionAttributeValues[":maxMc"].N);
    }

    [Fact]
    public void Build_NoBudgetNoCost_LeavesTheMonthCounterAlone()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", new CustomerLimits(null, null, null, 1000), SameMonth(0), Now, 10);

        Assert.DoesNotContain("mc", write.UpdateExpression, StringComparison.Ordinal);
        Assert.DoesNotContain("mc", write.ConditionExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NewMonth_RestartsTheMonthCostWithTheReservation()
    {
        CounterState lastMonth = SameMonth(9_000_000) with { Month = "2026-11" };

        UpdateItemRequest write = AdmissionWrite.Build("t", "c", Budget, lastMonth, Now, 3000, 33_000);

        Assert.Contains("mc = :cres", write.UpdateExpression, StringComparison.Ordinal);
        Assert.DoesNotContain(":maxMc", write.ConditionExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void FindExceeded_CostPastTheBudget_NamesTheBudget()
    {
        WindowView view = SameMonth(9_980_000).ViewAt(CounterItem.MinuteOf(Now), CounterItem.DayOf(Now), CounterItem.MonthOf(Now));

        Assert.Null(LimitEvaluator.FindExceeded(Budget, view, Now, 3000, 20_000));
        Assert.Equal(LimitNames.MonthlyBudget, LimitEvaluator.FindExceeded(Budget, view, Now, 3000, 20_001)?.LimitName);
    }

    [Fact]
    public void DescribeBudget_SaysTheBudgetWhatRemainsAndWhatTheRequestReserves()
    {
        var view = new WindowView(0, 0, 0, 0, 0, 0, 9_980_000);

        string message = LimitEvaluator.DescribeBudget(Budget, view, 33_000, "m");

        Assert.Contains("Monthly budget of 10.00 USD", message, StringComparison.Ordinal);
        Assert.Contains("0.02 USD remains", message, StringComparison.Ordinal);
        Assert.Contains("reserves up to 0.033 USD", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Headers_CarryTheRemainingBudgetOnlyWithABudget()
    {
        var view = new WindowView(0, 0, 0, 0, 0, 0, 2_500_001);

        Assert.Contains(new KeyValuePair<string, string>(RateLimitHeaders.BudgetRemaining, "7.499999"),
            RateLimitHeaders.Build(Budget, view, Now, null));
        Assert.DoesNotContain(RateLimitHeaders.Build(CustomerLimits.None, view, Now, null), h => h.Key == RateLimitHeaders.BudgetRemaining);
    }

    [Fact]
    public void Compute_RecordCost_SettlesTheReservedCostToIt()
    {
        var settlement = new Settlement("c", 3000, CounterItem.MinuteOf(Now), CounterItem.DayOf(Now), CounterItem.MonthOf(Now), 33_000, Price);

        Assert.Equal(-20_000, SettlementDeltas.Compute(settlement, new TokenUsage(1000, 100), Now, 13_000).MonthCost);
    }

    [Fact]
    public void Compute_RecordWithoutCost_PricesTheActualTokensAtTheReservationsPrice()
    {
        var settlement = new Settlement("c", 3000, CounterItem.MinuteOf(Now), CounterItem.DayOf(Now), CounterItem.MonthOf(Now), 33_000, Price);

        // 1000 × $3/M + 100 × $15/M = 4,500 micro-dollars.
        Assert.Equal(4_500 - 33_000, SettlementDeltas.Compute(settlement, new TokenUsage(1000, 100), Now).MonthCost);
    }

    [Fact]
    public void Compute_CostOverTheReservationAfterTheMonth_ChargesOnlyTheExcess()
    {
        var settlement = new Settlement("c", 3000, CounterItem.MinuteOf(Now), CounterItem.DayOf(Now), "2026-11", 33_000, Price);

        Assert.Equal(0, SettlementDeltas.Compute(settlement, null, Now, 1_000).MonthCost);
        Assert.Equal(7_000, SettlementDeltas.Compute(settlement, null, Now, 40_000).MonthCost);
    }

    [Fact]
    public void AggregateBuild_CostDelta_SettlesTheMonthCostCounter()
    {
        var record = new UsageRecord
        {
            RequestId = "r", CustomerId = "c", KeyId = "k", ModelId = "m", Surface = "converse", Streamed = false,
            HttpStatus = 200, Tokens = new TokenUsage(1, 1), LatencyMs = 1, Timestamp = Now,
        };

        UpdateItemRequest write = AggregateWrite.Build("t", record, new SettlementDeltas(-1, -1, -1, -20_000), Now);

        Assert.Contains("mc :smc", write.UpdateExpression, StringComparison.Ordinal);
        Assert.Equal("-20000", write.ExpressionAttributeValues[":smc"].N);
    }

    [Fact]
    public void AdmissionError_OverBudget_IsInsufficientQuotaOnTheOpenAiSurface()
    {
        var decision = new AdmissionDecision
        {
            IsAdmitted = false, Status = 429, LimitName = LimitNames.MonthlyBudget, Message = "Monthly budget of 1.00 USD is used up.", Headers = [],
        };

        ProxyResponse response = ErrorResponses.Render(ProxyPipeline.AdmissionError(decision), ErrorStyle.OpenAi);

        Assert.Equal(429, response.StatusCode);
        Assert.Contains("\"code\":\"insufficient_quota\"", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void PriceBookParse_Rows_FindsEachByExactModelId()
    {
        PriceBook book = PriceBook.Parse("a.model-v1:0=3000000,15000000,300000,3750000; b=1,2,3,4");

        Assert.Equal(15_000_000, book.Find("a.model-v1:0")?.OutputMicroUsdPerMillion);
        Assert.Equal(4, book.Find("b")?.CacheWriteMicroUsdPerMillion);
        // A geographic profile falls back to the in-region row; a global one needs a row of its own.
        Assert.Equal(15_000_000, book.Find("us.a.model-v1:0")?.OutputMicroUsdPerMillion);
        Assert.Null(book.Find("global.a.model-v1:0"));
    }

    [Theory]
    [InlineData("a=1,2,3")]
    [InlineData("a=1,2,3,x")]
    [InlineData("=1,2,3,4")]
    public void PriceBookParse_BadRow_Throws(string text)
    {
        Assert.Throws<FormatException>(() => PriceBook.Parse(text));
    }
}
