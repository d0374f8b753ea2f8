using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockSimulator;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>
/// The whole stack with two Bedrock regions on loopback: the stack's own simulator plays us-east-1
/// (first in BEDROCK_REGIONS, and the one the tests fault), a second simulator plays us-west-2. Each
/// verifies SigV4 for its own region, so a request signed for the wrong region would fail there.
/// </summary>
public class TwoRegionStackFixture : ProxyStackFixture
{
    /// <summary>BEDROCK_STREAM_START_TIMEOUT_SECONDS of the worker.</summary>
    internal const int StreamStartTimeoutSeconds = 3;

    private SimulatorServer? _west;

    /// <summary>us-east-1: the first region, whose instance-wide fault the tests set.</summary>
    internal SimulatorServer East => Simulator;

    /// <summary>us-west-2: the second region, healthy.</summary>
    internal SimulatorServer West => _west ?? throw new InvalidOperationException("the stack is not running");

    internal override async Task ConfigureAsync(DevStackOptions options)
    {
        _west = await SimulatorServer.StartAsync(
            new SimulatorOptions { Region = "us-west-2", ChunkDelay = TimeSpan.FromMilliseconds(10) }, CancellationToken.None);
        options.Lambda.FunctionEnvironment["BEDROCK_REGIONS"] = "us-east-1,us-west-2";
        options.Lambda.FunctionEnvironment["BEDROCK_ENDPOINTS"] = "us-west-2=" + _west.BaseAddress.ToString().TrimEnd('/');
        // Failover itself is under test here, not the breaker: no test's failures may open east for the next test.
        options.Lambda.FunctionEnvironment["BEDROCK_REGION_FAILURE_THRESHOLD"] = "100";
        // A region that never starts a stream is given up on after this (the hang test); healthy ones start in milliseconds.
        options.Lambda.FunctionEnvironment["BEDROCK_STREAM_START_TIMEOUT_SECONDS"] = StreamStartTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Keys stay cached once warm, so no test meets a cold-key lookup (see WarmUpWorkersAsync).
        options.Lambda.FunctionEnvironment["AUTH_CACHE_SECONDS"] = "600";
    }

    internal override Task AfterStartAsync() => WarmUpWorkersAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_west is not null)
        {
            await _west.DisposeAsync();
        }
    }
}
