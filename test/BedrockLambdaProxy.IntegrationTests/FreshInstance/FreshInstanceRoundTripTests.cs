using System.Net;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.IntegrationTests.FreshInstance;

/// <summary>
/// Issue 25: a fresh instance's first request reaches Bedrock after at most two DynamoDB round trips (the key; the
/// customer with its counter item in one BatchGetItem), and its admission write goes out alongside the Bedrock call
/// instead of before it. Counted by a relay in front of dynalite, against the real bootstrap and the simulator.
/// </summary>
public sealed class FreshInstanceRoundTripTests(FreshInstanceStackFixture fixture) : IClassFixture<FreshInstanceStackFixture>
{
    [Fact]
    public Task FirstRequest_FreshWorker_TwoReadsBeforeBedrockAndWriteOverlapsTheCall() => FirstRequestAsync(fixture.ApiKey, admissionWrites: 1);

    /// <summary>A key with limits of its own: its counter item comes in the same BatchGetItem, and both admission writes overlap the call.</summary>
    [Fact]
    public async Task FirstRequest_FreshWorkerKeyWithLimitsOfItsOwn_StillTwoReadsAndBothWritesOverlapTheCall()
    {
        var customers = new CustomerStore(fixture.Stack.Dynamo.Client, fixture.Stack.Dynamo.Tables);
        var keys = new ApiKeyStore(fixture.Stack.Dynamo.Client, fixture.Stack.Dynamo.Tables);
        (IssuedApiKey key, _) = await new ApiKeyIssuer(keys, customers, TimeProvider.System)
            .IssueAsync(fixture.CustomerId, null, CancellationToken.None, limits: new CustomerLimits(1000, null, null, null));

        await FirstRequestAsync(key.Key, admissionWrites: 2);
    }

    private async Task FirstRequestAsync(string apiKey, int admissionWrites)
    {
        int bedrockBefore = 0;
        // A fresh worker builds its DynamoDB client on the first request; on a loaded machine that can outlast the cold
        // key lookup's budget (a 503 by design). Such a run proves nothing either way: start another fresh worker.
        for (int attempt = 0; ; attempt++)
        {
            await fixture.Stack.Lambda.RecycleWorkersAsync();
            fixture.Relay.Clear();
            fixture.Relay.HoldWrites = true;
            bedrockBefore = fixture.Simulator.TotalRequests;
            HttpStatusCode status;
            string body;
            try
            {
                using HttpRequestMessage request = fixture.Post(fixture.FunctionUrl, "/converse",
                    """{"modelId":"sim.chunks:2.amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", apiKey);
                using HttpResponseMessage response = await fixture.Http.SendAsync(request);
                (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            finally
            {
                fixture.Relay.HoldWrites = false;
            }
            if (status == HttpStatusCode.ServiceUnavailable && attempt < 4)
            {
                continue;
            }
            Assert.True(status == HttpStatusCode.OK, body + "\n" + fixture.WorkerLogText());
            Assert.Contains("event: messageStop", body, StringComparison.Ordinal);
            break;
        }

        IReadOnlyList<SeenRequest> seen = fixture.Relay.Seen;
        string[] reads = [.. seen.Where(s => s.BedrockCallsBefore == bedrockBefore && s.Operation != "UpdateItem").Select(s => s.Operation)];
        Assert.Equal(["GetItem", "BatchGetItem"], reads);
        // The admission write was held until the Bedrock call arrived: had the function waited for it, the call
        // would never have come and the relay would have let the write go at its limit.
        SeenRequest[] admission = [.. seen.Where(s => s.Operation == "UpdateItem" && s.BedrockCallsBefore == bedrockBefore)];
        string trace = string.Join(", ", seen.Select(s => $"{s.Operation}@{s.BedrockCallsBefore}"));
        Assert.True(admission.Length == admissionWrites, trace);
        Assert.All(admission, write => Assert.False(write.ReleasedByLimit, trace));
    }
}
