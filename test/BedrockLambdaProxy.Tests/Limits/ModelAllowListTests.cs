using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class ModelAllowListTests
{
    private const string Haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    private const string HaikuArn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";
    private const string Sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private const string ProfileArn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public void IsAllowed_EmptyList_AllowsAnyModel() => Assert.True(ModelAllowList.IsAllowed([], "whatever"));

    [Theory]
    [InlineData(Haiku, Haiku, true)]
    [InlineData(Haiku, HaikuArn, true)]
    [InlineData(HaikuArn, Haiku, true)]
    [InlineData(Haiku, "anthropic.claude-3-sonnet-20240229-v1:0", false)]
    [InlineData(Haiku, "ANTHROPIC.CLAUDE-3-HAIKU-20240307-V1:0", false)]
    [InlineData(Haiku, Haiku + "-extra", false)]
    public void IsAllowed_ListedModel_MatchesIdOrArn(string listed, string requested, bool expected)
    {
        Assert.Equal(expected, ModelAllowList.IsAllowed([listed], requested));
    }

    [Theory]
    [InlineData("us." + Sonnet45)]
    [InlineData("eu." + Sonnet45)]
    [InlineData("apac." + Sonnet45)]
    [InlineData("global." + Sonnet45)]
    [InlineData("us-gov." + Sonnet45)]
    [InlineData(ProfileArn)]
    public void IsAllowed_ListedModelId_AdmitsItsCrossRegionProfiles(string requested)
    {
        Assert.True(ModelAllowList.IsAllowed([Sonnet45], requested));
    }

    [Theory]
    [InlineData("us." + Sonnet45, true)]
    [InlineData(ProfileArn, true)]
    [InlineData("global." + Sonnet45, false)]
    [InlineData(Sonnet45, false)]
    public void IsAllowed_ListedProfile_AdmitsOnlyThatProfile(string requested, bool expected)
    {
        Assert.Equal(expected, ModelAllowList.IsAllowed(["us." + Sonnet45], requested));
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4*", Sonnet45, true)]
    [InlineData("anthropic.claude-sonnet-4*", "global." + Sonnet45, true)]
    [InlineData("anthropic.claude-sonnet-4*", "anthropic.claude-sonnet-4-20250514-v1:0", true)]
    [InlineData("anthropic.claude-sonnet-4*", "us.anthropic.claude-opus-4-1-20250805-v1:0", false)]
    [InlineData("anthropic.claude-sonnet-4*", "anthropic.claude-3-7-sonnet-20250219-v1:0", false)]
    [InlineData("us.anthropic.*", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true)]
    [InlineData("us.anthropic.*", "global.anthropic.claude-haiku-4-5-20251001-v1:0", false)]
    [InlineData("us.anthropic.*", "anthropic.claude-haiku-4-5-20251001-v1:0", false)]
    [InlineData("anthropic.*", "amazon.nova-lite-v1:0", false)]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4*", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true)]
    public void IsAllowed_Family_AdmitsModelsAndProfilesWithThePrefix(string listed, string requested, bool expected)
    {
        Assert.Equal(expected, ModelAllowList.IsAllowed([listed], requested));
    }

    [Fact]
    public void IsAllowed_ClaudeCodeTeamList_AdmitsItsDefaultsAndNothingElse()
    {
        string[] team = ["anthropic.claude-opus-5*", "anthropic.claude-sonnet-4*", "anthropic.claude-haiku-4-5*"];

        Assert.True(ModelAllowList.IsAllowed(team, "us.anthropic.claude-opus-5-5"));
        Assert.True(ModelAllowList.IsAllowed(team, "us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        Assert.True(ModelAllowList.IsAllowed(team, "global.anthropic.claude-haiku-4-5-20251001-v1:0"));
        Assert.False(ModelAllowList.IsAllowed(team, "amazon.nova-pro-v1:0"));
        Assert.False(ModelAllowList.IsAllowed(team, "us.anthropic.claude-3-haiku-20240307-v1:0"));
    }
}
