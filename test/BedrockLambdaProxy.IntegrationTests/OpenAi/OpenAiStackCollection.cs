namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>One local stack for every OpenAI-surface test class (each stack costs a few seconds of two busy cores).</summary>
[CollectionDefinition(Name)]
public sealed class OpenAiStackCollection : ICollectionFixture<OpenAiStackFixture>
{
    public const string Name = "openai stack";
}
