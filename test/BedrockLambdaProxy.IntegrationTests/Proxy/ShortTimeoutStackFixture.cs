namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>The same stack with a 4-second function timeout, for deadline tests that should not take long.</summary>
public sealed class ShortTimeoutStackFixture : ProxyStackFixture
{
    public override TimeSpan FunctionTimeout => TimeSpan.FromSeconds(4);
}
