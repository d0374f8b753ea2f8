using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>
/// The two-region stack with a breaker that opens after two transient failures: if a caller's bad
/// header counted against us-east-1, a handful of such requests would move every caller to us-west-2.
/// </summary>
public sealed class HeaderHygieneStackFixture : TwoRegionStackFixture
{
    internal const int FailureThreshold = 2;

    internal override async Task ConfigureAsync(DevStackOptions options)
    {
        await base.ConfigureAsync(options);
        options.Lambda.FunctionEnvironment["BEDROCK_REGION_FAILURE_THRESHOLD"] = FailureThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
