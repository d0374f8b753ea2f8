using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>The proxy stack with four workers, so four requests really are in flight at once.</summary>
public sealed class LimitsStackFixture : ProxyStackFixture
{
    internal override Task ConfigureAsync(DevStackOptions options)
    {
        options.Lambda.WorkerCount = 4;
        return Task.CompletedTask;
    }
}
