using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.FreshInstance;

/// <summary>One worker whose DynamoDB endpoint is an <see cref="OrderingDynamoRelay"/> in front of dynalite.</summary>
public sealed class FreshInstanceStackFixture : ProxyStackFixture
{
    internal OrderingDynamoRelay Relay { get; } = new();

    internal override Task ConfigureAsync(DevStackOptions options)
    {
        options.Lambda.WorkerCount = 1;
        options.Lambda.Services.Add(Relay);
        return Task.CompletedTask;
    }

    internal override Task AfterStartAsync()
    {
        Relay.BedrockCalls = () => Simulator.TotalRequests;
        return Task.CompletedTask;
    }
}
