using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class FoundationModelIdTests
{
    [Theory]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0")]
    [InlineData("US.Anthropic.Claude-X", "anthropic.claude-x")]
    [InlineData("us-gov.anthropic.claude-x", "anthropic.claude-x")]
    [InlineData("global.amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0")]
    [InlineData("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0", "meta.llama3-2-1b-instruct-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-7b-instruct-v0:2", "mistral.mistral-7b-instruct-v0:2")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", "abc123")]
    [InlineData("usx.model", "usx.model")]
    public void Of_IdProfileOrArn_IsTheFoundationModelId(string modelId, string expected)
    {
        Assert.Equal(expected, FoundationModelId.Of(modelId));
    }
}
