using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

public sealed class OpenAiModelsTests
{
    [Theory]
    [InlineData("amazon.nova-lite-v1:0", "amazon")]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic")]
    [InlineData("global.anthropic.claude-sonnet-4-20250514-v1:0", "anthropic")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0", "meta")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", "bedrock")]
    public void OwnerOf_ModelId_NamesTheProvider(string modelId, string owner)
    {
        Assert.Equal(owner, OpenAiModels.OwnerOf(modelId));
    }
}
