using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>Token limits: reservations, settlement with Bedrock's counts, per day and per month, on a real dynalite.</summary>
public sealed class AdmissionTokenTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 10, TimeSpan.Zero));

    [Fact]
    public async Task AdmitAsync_ReservationSettledWithActualTokens_NextAdmissionSeesRemainingBudget()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(null, 1000, null, null));
        Admission admission = NewAdmission();
        UsageRecorder recorder = NewRecorder();

        AdmissionDecision first = await admission.AdmitAsync(customer, "model-a", 600, CancellationToken.None);
        Assert.True(first.IsAdmitted);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-tokens", "400"), first.Headers);

        AdmissionDecision second = await admission.AdmitAsync(customer, "model-a", 600, CancellationToken.None);
        Assert.Equal(429, second.Status);
        Assert.Equal(LimitNames.TokensPerMinute, second.LimitName);

        // Bedrock reported 70 + 30: the reservation of 600 shrinks to 100 in the same write as the aggregate.
        await recorder.RecordAsync(Record(customer, new TokenUsage(70, 30)), first, CancellationToken.None);

        AdmissionDecision third = await admission.AdmitAsync(customer, "model-a", 600, CancellationToken.None);
        Assert.True(third.IsAdmitted);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-tokens", "300"), third.Headers);

        // SettleAsync (no usage record) corrects a reservation the same way: 600 -> 250.
        await admission.SettleAsync(third, new TokenUsage(200, 50), CancellationToken.None);
        // Recording the same request afterwards adds it to the aggregate but does not settle it twice.
        await recorder.RecordAsync(Record(customer, new TokenUsage(200, 50)), third, CancellationToken.None);
        AdmissionDecision fourth = await admission.AdmitAsync(customer, "model-a", 650, CancellationToken.None);
        Assert.True(fourth.IsAdmitted);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-tokens", "0"), fourth.Headers);
        AdmissionDecision fifth = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);
        Assert.Equal(LimitNames.TokensPerMinute, fifth.LimitName);
    }

    [Fact]
    public async Task AdmitAsync_DayBudgetUsedUp_RefusedUntilUtcMidnight()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(null, null, 1000, null));
        Admission admission = NewAdmission();
        UsageRecorder recorder = NewRecorder();

        AdmissionDecision admitted = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);
        await recorder.RecordAsync(Record(customer, new TokenUsage(900, 100)), admitted, CancellationToken.None);

        _time.Now = _time.Now.AddHours(1); // another minute, same day
        AdmissionDecision refused = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);
        Assert.Equal(429, refused.Status);
        Assert.Equal(LimitNames.TokensPerDay, refused.LimitName);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero) - _time.Now, refused.RetryAfter);

        _time.Now = new DateTimeOffset(2026, 11, 25, 0, 0, 1, TimeSpan.Zero);
        Assert.True((await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
    }

    [Fact]
    public async Task AdmitAsync_MonthlyQuotaUsedUp_Refused429MonthlyTokenQuota()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(100, 100_000, 100_000, 5000));
        Admission admission = NewAdmission();
        UsageRecorder recorder = NewRecorder();
        for (int day = 0; day < 5; day++)
        {
            AdmissionDecision admitted = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);
            Assert.True(admitted.IsAdmitted);
            await recorder.RecordAsync(Record(customer, new TokenUsage(800, 200)), admitted, CancellationToken.None);
            _time.Now = _time.Now.AddDays(1);
        }

        AdmissionDecision refused = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);

        Assert.Equal(429, refused.Status);
        Assert.Equal(LimitNames.MonthlyTokenQuota, refused.LimitName);
        Assert.Contains("5000", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - _time.Now, refused.RetryAfter);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-limit-tokens", "5000"), refused.Headers);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-tokens", "0"), refused.Headers);

        _time.Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True((await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
    }

    [Fact]
    public async Task AdmitAsync_ModelNotOnAllowList_Refused403WithoutTouchingDynamo()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(10, null, null, null), "model-a");
        Admission admission = NewAdmission();
        dynamo.Calls.Reset();

        AdmissionDecision refused = await admission.AdmitAsync(customer, "model-b", 0, CancellationToken.None);

        Assert.False(refused.IsAdmitted);
        Assert.Equal(403, refused.Status);
        Assert.Contains("model-b", refused.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Headers, h => h.Key == "x-ratelimit-limit-requests" && h.Value == "10");
        Assert.Empty(dynamo.Calls.Snapshot());
        Assert.True((await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
    }

    [Fact]
    public async Task AdmitAsync_UnlimitedCustomer_AdmittedWithHeadersAndNoWrite()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(CustomerLimits.None);
        Admission admission = NewAdmission();
        dynamo.Calls.Reset();

        AdmissionDecision admitted = await admission.AdmitAsync(customer, "any-model", 4096, CancellationToken.None);

        Assert.True(admitted.IsAdmitted);
        Assert.Equal(200, admitted.Status);
        Assert.Equal(
            [
                new("x-ratelimit-limit-requests", "unlimited"),
                new("x-ratelimit-remaining-requests", "unlimited"),
                new("x-ratelimit-reset-requests", "0s"),
                new("x-ratelimit-limit-tokens", "unlimited"),
                new("x-ratelimit-remaining-tokens", "unlimited"),
                new("x-ratelimit-reset-tokens", "0s"),
            ],
            admitted.Headers);
        Assert.Empty(dynamo.Calls.Snapshot());
    }

    private Admission NewAdmission() =>
        new(dynamo.CreateClient(), dynamo.RateLimitsTable, _time, failOpen: false, budget: TimeSpan.FromSeconds(30));

    private UsageRecorder NewRecorder() =>
        new(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, _time, TextWriter.Null);

    private UsageRecord Record(CustomerContext customer, TokenUsage tokens) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CustomerId = customer.CustomerId,
        KeyId = customer.KeyId,
        ModelId = "model-a",
        Surface = "converse",
        Streamed = false,
        HttpStatus = 200,
        Tokens = tokens,
        LatencyMs = 12.5,
        Timestamp = _time.Now,
    };
}
