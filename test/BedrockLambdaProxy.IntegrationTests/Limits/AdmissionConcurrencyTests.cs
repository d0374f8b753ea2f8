using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>Requests-per-minute enforcement across concurrent instances and window boundaries, on a real dynalite.</summary>
public sealed class AdmissionConcurrencyTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AdmitAsync_200ConcurrentCallsFromFourInstances_AdmitsExactly50()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 30, TimeSpan.Zero));
        CustomerContext customer = Customer(new CustomerLimits(50, null, null, null));
        Admission[] instances = [.. Enumerable.Range(0, 4).Select(_ => NewAdmission(time))];

        AdmissionDecision[] decisions = await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => instances[i % 4].AdmitAsync(customer, "model-a", 0, CancellationToken.None)))
            .WaitAsync(Generous);

        Assert.Equal(50, decisions.Count(d => d.IsAdmitted));
        Assert.All(decisions.Where(d => !d.IsAdmitted), d =>
        {
            Assert.Equal(429, d.Status);
            Assert.Equal(LimitNames.RequestsPerMinute, d.LimitName);
            Assert.NotNull(d.RetryAfter);
        });
    }

    [Fact]
    public async Task AdmitAsync_BurstsStraddlingMinuteBoundary_AdmitSlidingWindowAllowanceOnly()
    {
        // Minute N starts at 10:00:00. L = 50. The allowance in minute N+1 is
        // 50 - ceil(previous × remaining / 60 s), previous being minute N's final count.
        var minuteN = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var time = new ManualTimeProvider(minuteN.AddSeconds(59));
        CustomerContext customer = Customer(new CustomerLimits(50, null, null, null));
        Admission[] instances = [NewAdmission(time), NewAdmission(time)];

        Assert.Equal(50, await BurstAsync(instances, customer, 80));

        time.Now = minuteN.AddMinutes(1); // weighted previous = 50: nothing more
        Assert.Equal(0, await BurstAsync(instances, customer, 80));

        time.Now = minuteN.AddMinutes(1).AddSeconds(6); // ceil(50 × 54/60) = 45: 5 more
        Assert.Equal(5, await BurstAsync(instances, customer, 80));

        time.Now = minuteN.AddMinutes(1).AddSeconds(30); // ceil(50 × 30/60) = 25: up to 25 in total
        Assert.Equal(20, await BurstAsync(instances, customer, 80));

        time.Now = minuteN.AddMinutes(1).AddSeconds(45); // ceil(50 × 15/60) = 13: up to 37 in total
        Assert.Equal(12, await BurstAsync(instances, customer, 80));

        // Minute N+2: minute N+1 admitted 37, weighted fully at its start: 13 more.
        time.Now = minuteN.AddMinutes(2);
        Assert.Equal(13, await BurstAsync(instances, customer, 80));
    }

    [Fact]
    public async Task AdmitAsync_RefusedAtBoundary_RetryAfterIsWhenTheWeightAllowsOneMore()
    {
        var minuteN = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero);
        var time = new ManualTimeProvider(minuteN.AddSeconds(59));
        CustomerContext customer = Customer(new CustomerLimits(50, null, null, null));
        Admission admission = NewAdmission(time);
        Assert.Equal(50, await BurstAsync([admission], customer, 50));

        time.Now = minuteN.AddMinutes(1);
        AdmissionDecision refused = await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None);

        // ceil(50 × rem/60000) ≤ 49 once rem ≤ 58 800 ms: 1.2 s into the minute.
        Assert.Equal(429, refused.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(1200), refused.RetryAfter);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "2"), refused.Headers);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-requests", "0"), refused.Headers);

        time.Now = minuteN.AddMinutes(1).AddMilliseconds(1200);
        Assert.True((await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
    }

    [Fact]
    public async Task AdmitAsync_InstanceClockSlightlyBehind_CountsIntoTheItemsMinuteInsteadOfRefusing()
    {
        var boundary = new DateTimeOffset(2026, 11, 24, 12, 1, 0, TimeSpan.Zero);
        var ahead = new ManualTimeProvider(boundary.AddMilliseconds(10));
        var behind = new ManualTimeProvider(boundary.AddMilliseconds(-5));
        CustomerContext customer = Customer(new CustomerLimits(3, null, null, null));
        Admission fast = NewAdmission(ahead);
        Admission slow = NewAdmission(behind);

        Assert.Equal(2, await BurstAsync([fast], customer, 2));
        AdmissionDecision late = await slow.AdmitAsync(customer, "model-a", 0, CancellationToken.None);

        Assert.True(late.IsAdmitted);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-remaining-requests", "0"), late.Headers);
        Assert.Equal(0, await BurstAsync([fast, slow], customer, 4));
    }

    private static async Task<int> BurstAsync(Admission[] instances, CustomerContext customer, int count)
    {
        AdmissionDecision[] decisions = await Task.WhenAll(
            Enumerable.Range(0, count).Select(i => instances[i % instances.Length].AdmitAsync(customer, "model-a", 0, CancellationToken.None)))
            .WaitAsync(Generous);
        Assert.All(decisions, d => Assert.Contains(d.Status, new[] { 200, 429 }));
        return decisions.Count(d => d.IsAdmitted);
    }

    private Admission NewAdmission(TimeProvider time) =>
        // A generous budget: 200 concurrent calls on a shared 2-core machine are slow, not failing.
        new(dynamo.CreateClient(), dynamo.RateLimitsTable, time, failOpen: false, budget: Generous);

    internal static CustomerContext Customer(CustomerLimits limits, params string[] allowedModels) =>
        new("cust-" + Guid.NewGuid().ToString("N")[..12], "key-1", limits, allowedModels);
}
