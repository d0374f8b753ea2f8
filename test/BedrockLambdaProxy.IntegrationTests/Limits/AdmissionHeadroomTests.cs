using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// When the Bedrock call may go out alongside the admission write: only while this instance's last
/// view leaves the request inside half of every limit, and never for a customer it has not seen.
/// </summary>
public sealed class AdmissionHeadroomTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 10, TimeSpan.Zero));

    [Fact]
    public async Task HasHeadroom_RequestsPerMinute_TrueUntilTheRequestWouldPassHalfTheLimit()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(10, null, null, null));
        Admission admission = NewAdmission();

        Assert.False(admission.HasHeadroom(customer, "model-a", 0)); // not seen yet: admission decides first
        var seen = new List<bool>();
        for (int i = 0; i < 6; i++)
        {
            Assert.True((await admission.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
            seen.Add(admission.HasHeadroom(customer, "model-a", 0));
        }

        // After n admitted requests the next one is the (n+1)th: inside half of 10 while n + 1 <= 5.
        Assert.Equal([true, true, true, true, false, false], seen);
    }

    [Fact]
    public async Task HasHeadroom_TokenReservation_CountsAgainstHalfOfEachTokenLimit()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(null, null, null, 10_000));
        Admission admission = NewAdmission();
        Assert.True((await admission.AdmitAsync(customer, "model-a", 1_000, CancellationToken.None)).IsAdmitted);

        Assert.True(admission.HasHeadroom(customer, "model-a", 4_000));  // 1,000 + 4,000 <= 5,000
        Assert.False(admission.HasHeadroom(customer, "model-a", 4_001));
    }

    [Fact]
    public void HasHeadroom_NoLimitsOrModelNotAllowed_False()
    {
        Admission admission = NewAdmission();

        // Both are decided without a DynamoDB write, so there is nothing to overlap.
        Assert.False(admission.HasHeadroom(AdmissionConcurrencyTests.Customer(CustomerLimits.None), "model-a", 0));
        Assert.False(admission.HasHeadroom(AdmissionConcurrencyTests.Customer(new CustomerLimits(100, null, null, null), "model-b"), "model-a", 0));
    }

    [Fact]
    public void HasHeadroom_NoWriteIsRoom_NoLimitsTrueButModelNotAllowedStillFalse()
    {
        Admission admission = NewAdmission();

        // Beside another set of limits that writes (a key's own), a customer without counters does not stop the overlap
        // unless admission would refuse it outright.
        Assert.True(admission.HasHeadroom(AdmissionConcurrencyTests.Customer(CustomerLimits.None), "model-a", 0, noWriteIsRoom: true));
        Assert.False(admission.HasHeadroom(AdmissionConcurrencyTests.Customer(CustomerLimits.None, "model-b"), "model-a", 0, noWriteIsRoom: true));
    }

    [Fact]
    public async Task HasHeadroom_OtherInstanceUsedTheLimit_StaleViewSaysYesButTheWriteRefuses()
    {
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(10, null, null, null));
        Admission stale = NewAdmission();
        Admission other = NewAdmission();
        Assert.True((await stale.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
        for (int i = 0; i < 9; i++)
        {
            Assert.True((await other.AdmitAsync(customer, "model-a", 0, CancellationToken.None)).IsAdmitted);
        }

        // Why the pipeline holds Bedrock's answer until the write has decided: the view can be stale.
        Assert.True(stale.HasHeadroom(customer, "model-a", 0));
        AdmissionDecision refused = await stale.AdmitAsync(customer, "model-a", 0, CancellationToken.None);
        Assert.Equal(429, refused.Status);
        // The failed write refreshed the view: the next request is decided before Bedrock is called.
        Assert.False(stale.HasHeadroom(customer, "model-a", 0));
    }

    private Admission NewAdmission() => new(dynamo.CreateClient(), dynamo.RateLimitsTable, _time, failOpen: false);
}
