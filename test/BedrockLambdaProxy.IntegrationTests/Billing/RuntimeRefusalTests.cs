using Amazon.Runtime;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.IntegrationTests.Limits;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;
using BedrockSimulator;
using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// The Lambda runtime refusing the answer (its Runtime API answers an error to the buffered POST):
/// no second answer can be sent, and Bedrock's work is still billed. The pipeline runs in-process on
/// a real dynalite and the simulator over HTTP; only the Runtime API is a stand-in that refuses.
/// </summary>
public sealed class RuntimeRefusalTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    [Fact]
    public async Task RunAsync_RuntimeRefusesBufferedAnswer_RecordCarriesBedrocksCountsAndFailureIsRethrown()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Port = 0 }, CancellationToken.None);
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey key = await bed.IssueAsync(customer.CustomerId);
        var log = new JsonLog(TextWriter.Null, TimeProvider.System);
        var pipeline = new ProxyPipeline(
            bed.NewAuthenticator(),
            new Admission(dynamo.Client, dynamo.RateLimitsTable, TimeProvider.System, failOpen: false),
            new UsageRecorder(dynamo.Client, dynamo.UsageTable, dynamo.RateLimitsTable, TimeProvider.System, TextWriter.Null),
            new UsageLog(log),
            log,
            TimeProvider.System);
        using var bedrock = new BedrockClient(
            new ProxySettings { Region = "us-east-1", BedrockEndpoint = simulator.BaseAddress },
            new SocketsHttpHandler(),
            new BasicAWSCredentials("AKIDSIMULATOR", "simulator-secret"),
            new BedrockRetryPolicy(1, TimeProvider.System, () => 0, (_, _) => Task.CompletedTask));
        var refusing = new RefusingResponder();
        RequestContext context = BufferedConverseRequest.Context(refusing, key.Key,
            """{"modelId":"amazon.nova-lite-refused-v1:0","messages":[{"role":"user","content":[{"text":"Bill me anyway"}]}]}""",
            TimeProvider.System, "req-refused");

        await Assert.ThrowsAsync<RuntimeApiException>(() => pipeline.RunAsync(context, new SurfaceSet(bedrock, TimeProvider.System).Converse));

        Assert.Equal(1, refusing.Attempts);
        ServedCall served = Assert.Single(simulator.ServedCalls());
        var reader = new UsageReportReader(dynamo.Client, dynamo.UsageTable, dynamo.RateLimitsTable);
        string month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var records = new List<UsageRecord>();
        await foreach (UsageRecord record in reader.ListRecordsAsync(customer.CustomerId, month, CancellationToken.None))
        {
            records.Add(record);
        }
        UsageRecord billed = Assert.Single(records);
        Assert.Equal((502, ProxyPipeline.ResponseRefusedType), (billed.HttpStatus, billed.ErrorType));
        Assert.False(billed.Estimated);
        Assert.Equal(served.RequestId, billed.BedrockRequestId);
        Assert.Equal(new TokenUsage(served.InputTokens, served.OutputTokens), billed.Tokens);
    }

    /// <summary>A Runtime API that answers 413 to every buffered response, as Lambda does to one it will not take.</summary>
    private sealed class RefusingResponder : IInvocationResponder
    {
        public int Attempts { get; private set; }

        public bool HasResponded => false;

        public Task SendBufferedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Attempts++;
            throw new RuntimeApiException("POST /invocation/req-refused/response answered 413.", 413);
        }

        public Task<IStreamedBody> StartHttpStreamAsync(HttpResponsePrelude prelude, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a buffered front never streams");
    }
}
