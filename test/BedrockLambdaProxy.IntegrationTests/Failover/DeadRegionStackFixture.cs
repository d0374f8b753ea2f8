using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>
/// One worker whose first region (eu-west-1) is a loopback port nothing listens on (connection
/// refused) and whose second is the stack's simulator (us-east-1), with the default breaker: three
/// consecutive failures open eu-west-1's circuit for the cool-down.
/// </summary>
public sealed class DeadRegionStackFixture : ProxyStackFixture
{
    internal override Task ConfigureAsync(DevStackOptions options)
    {
        // One worker, so one circuit breaker sees every request.
        options.Lambda.WorkerCount = 1;
        options.Lambda.FunctionEnvironment["BEDROCK_REGIONS"] = "eu-west-1,us-east-1";
        options.Lambda.FunctionEnvironment["BEDROCK_ENDPOINTS"] = $"eu-west-1=http://127.0.0.1:{FreePort.Next()}";
        options.Lambda.FunctionEnvironment["BEDROCK_REGION_COOLDOWN_SECONDS"] = "600";
        options.Lambda.FunctionEnvironment["AUTH_CACHE_SECONDS"] = "600";
        return Task.CompletedTask;
    }

    internal override Task AfterStartAsync() => WarmUpWorkersAsync();
}
