namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>The failover and metrics tests share one two-region stack and run one after another (they change east's fault).</summary>
[CollectionDefinition(Name)]
public sealed class TwoRegionCollection : ICollectionFixture<TwoRegionStackFixture>
{
    public const string Name = "two Bedrock regions";
}
