using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class ModelAllowListTests
{
    private const string Haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    private const string HaikuArn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";

    [Fact]
    public void IsAllowed_EmptyList_AllowsAnyModel() => Assert.True(ModelAllowList.IsAllowed([], "whatever"));

    [Theory]
    [InlineData(Haiku, Haiku, true)]
    [InlineData(Haiku, HaikuArn, true)]
    [InlineData(HaikuArn, Haiku, true)]
    [InlineData(Haiku, "anthropic.claude-3-sonnet-20240229-v1:0", false)]
    [InlineData(Haiku, "ANTHROPIC.CLAUDE-3-HAIKU-20240307-V1:0", false)]
    [InlineData(Haiku, "us." + Haiku, false)]
    public void IsAllowed_ListedModel_MatchesIdOrArn(string listed, string requested, bool expected)
    {
        Assert.Equal(expected, ModelAllowList.IsAllowed([listed], requested));
    }
}
