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
