using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// The benchmark's targets, as counts: on a warm instance one DynamoDB round trip before Bedrock
/// would be called, and at most three writes per request in all.
/// </summary>
public sealed class AdmissionRoundTripTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    [Fact]
    public async Task AdmitThenRecord_WarmInstance_OneRoundTripBeforeBedrockAndThreeWrites()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 14, 0, 1, TimeSpan.Zero));
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(100, 10_000, 100_000, 1_000_000));
        var admission = new Admission(dynamo.CreateClient(), dynamo.RateLimitsTable, time, failOpen: false);
        var recorder = new UsageRecorder(dynamo.CreateClient(), dynamo.UsageTable, dynamo.RateLimitsTable, time, TextWriter.Null);
        await RequestAsync(admission, recorder, customer, time); // cold: warms the instance's cache

        // Every 5 s for 100 s: the same minute (cached state), and a minute roll (the roll is in the same write).
        for (int i = 0; i < 20; i++)
        {
            time.Now = time.Now.AddSeconds(5);
            dynamo.Calls.Reset();

            AdmissionDecision decision = await admission.AdmitAsync(customer, "model-a", 500, CancellationToken.None);
            IReadOnlyList<string> beforeBedrock = dynamo.Calls.Snapshot();
            await recorder.RecordAsync(Record(customer, time, new TokenUsage(40, 60)), decision, CancellationToken.None);

            Assert.True(decision.IsAdmitted);
            Assert.Equal(["UpdateItem"], beforeBedrock);
            Assert.Equal(["UpdateItem", "PutItem", "UpdateItem"], dynamo.Calls.Snapshot());
            Assert.Equal(3, dynamo.Calls.Writes);
        }
    }

    [Fact]
    public async Task Authenticate_FreshInstance_CustomerAndCountersInOneBatchThenOnlyTheAdmissionWrite()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 14, 0, 1, TimeSpan.Zero));
        var counted = dynamo.CreateClient();
        var customers = new CustomerStore(counted, dynamo.Tables);
        var limits = new CustomerLimits(100, 10_000, 100_000, 1_000_000);
        var record = new CustomerRecord
        {
            CustomerId = "cus_" + Guid.NewGuid().ToString("N")[..12],
            Name = "fresh",
            Status = CustomerStatus.Active,
            CreatedAt = time.Now,
            Limits = limits,
            AllowedModels = [],
        };
        Assert.True(await customers.CreateAsync(record, CancellationToken.None));
        (IssuedApiKey key, _) = await new ApiKeyIssuer(new ApiKeyStore(counted, dynamo.Tables), customers, time).IssueAsync(record.CustomerId, null, CancellationToken.None);
        // Another instance has already counted this customer: the fresh one must start from that state.
        var other = new Admission(dynamo.CreateClient(), dynamo.RateLimitsTable, time, failOpen: false);
        CustomerContext context = new(record.CustomerId, key.KeyId, limits, []);
        Assert.True((await other.AdmitAsync(context, "model-a", 500, CancellationToken.None)).IsAdmitted);
        var admission = new Admission(counted, dynamo.RateLimitsTable, time, failOpen: false);
        var authenticator = new ApiKeyAuthenticator(new ApiKeyStore(counted, dynamo.Tables), customers, TimeSpan.FromSeconds(60), time, companion: admission);
        dynamo.Calls.Reset();

        AuthResult auth = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        IReadOnlyList<string> authCalls = dynamo.Calls.Snapshot();
        bool overlaps = admission.HasHeadroom(auth.Customer!, "model-a", 500);
        dynamo.Calls.Reset();
        AdmissionDecision decision = await admission.AdmitAsync(auth.Customer!, "model-a", 500, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, auth.Kind);
        Assert.Equal(["GetItem", "BatchGetItem"], authCalls);
        Assert.True(overlaps);
        Assert.True(decision.IsAdmitted);
        Assert.Equal(["UpdateItem"], dynamo.Calls.Snapshot());
        // Built on the other instance's count: the second request of the minute.
        Assert.Contains(decision.Headers, h => h.Key == "x-ratelimit-remaining-requests" && h.Value == "98");
    }

    [Fact]
    public async Task Authenticate_CustomerWithoutCounterLimits_CountersNotKeptForAdmission()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 14, 0, 1, TimeSpan.Zero));
        var client = dynamo.CreateClient();
        var customers = new CustomerStore(client, dynamo.Tables);
        var record = new CustomerRecord
        {
            CustomerId = "cus_" + Guid.NewGuid().ToString("N")[..12],
            Name = "unlimited",
            Status = CustomerStatus.Active,
            CreatedAt = time.Now,
            Limits = CustomerLimits.None,
            AllowedModels = [],
        };
        Assert.True(await customers.CreateAsync(record, CancellationToken.None));
        (IssuedApiKey key, _) = await new ApiKeyIssuer(new ApiKeyStore(client, dynamo.Tables), customers, time).IssueAsync(record.CustomerId, null, CancellationToken.None);
        var admission = new Admission(client, dynamo.RateLimitsTable, time, failOpen: false);
        var authenticator = new ApiKeyAuthenticator(new ApiKeyStore(client, dynamo.Tables), customers, TimeSpan.FromSeconds(60), time, companion: admission);

        AuthResult auth = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, auth.Kind);
        // Nothing cached: should limits be added later, admission reads the counters fresh instead of trusting old ones.
        CustomerContext limited = auth.Customer! with { Limits = new CustomerLimits(100, null, null, null) };
        Assert.False(admission.HasHeadroom(limited, "model-a", 0));
    }

    private static async Task RequestAsync(Admission admission, UsageRecorder recorder, CustomerContext customer, ManualTimeProvider time)
    {
        AdmissionDecision decision = await admission.AdmitAsync(customer, "model-a", 500, CancellationToken.None);
        Assert.True(decision.IsAdmitted);
        await recorder.RecordAsync(Record(customer, time, new TokenUsage(40, 60)), decision, CancellationToken.None);
    }

    private static UsageRecord Record(CustomerContext customer, ManualTimeProvider time, TokenUsage tokens) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CustomerId = customer.CustomerId,
        KeyId = customer.KeyId,
        ModelId = "model-a",
        Surface = "invoke",
        Streamed = true,
        HttpStatus = 200,
        Tokens = tokens,
        LatencyMs = 80,
        TimeToFirstTokenMs = 20,
        Timestamp = time.Now,
    };
}
