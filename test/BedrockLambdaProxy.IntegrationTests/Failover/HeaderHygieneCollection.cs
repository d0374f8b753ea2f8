namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>The header-hygiene tests have a stack of their own (its breaker threshold differs).</summary>
[CollectionDefinition(Name)]
public sealed class HeaderHygieneCollection : ICollectionFixture<HeaderHygieneStackFixture>
{
    public const string Name = "header hygiene";
}
