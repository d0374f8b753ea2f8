using BedrockLambdaProxy.Surfaces.Anthropic;

namespace BedrockLambdaProxy.Tests.Surfaces.Anthropic;

public sealed class AnthropicSettingsTests
{
    [Theory]
    [InlineData("us-west-2", null, "us.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("eu-central-1", null, "eu.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("ap-northeast-1", null, "apac.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("sa-east-1", null, "global.anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("us-east-1", "none", "anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("us-east-1", "global", "global.anthropic.claude-haiku-4-5-20251001-v1:0")]
    public void Create_RegionAndPrefix_DefaultProfileOfThatGeography(string region, string? prefix, string expected) =>
        Assert.Equal(expected, AnthropicModelAliases.Create(region, prefix, null).Resolve("claude-haiku-4-5"));

    [Fact]
    public void Create_OnDemandModel_NeverPrefixed() =>
        Assert.Equal("anthropic.claude-3-haiku-20240307-v1:0", AnthropicModelAliases.Create("eu-west-1", null, null).Resolve("claude-3-haiku-20240307"));

    [Fact]
    public void Create_Overrides_AddAndReplaceEntries()
    {
        var aliases = AnthropicModelAliases.Create("us-east-1", null, "claude-sonnet-4-5=eu.anthropic.claude-sonnet-4-5-20250929-v1:0, house=anthropic.claude-house-v1:0");

        Assert.Equal("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", aliases.Resolve("claude-sonnet-4-5"));
        Assert.Equal("anthropic.claude-house-v1:0", aliases.Resolve("house"));
        Assert.Equal(["claude-sonnet-4-5-20250929"], aliases.NamesFor("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    }

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("name=has space")]
    [InlineData("=anthropic.claude-x-v1:0")]
    public void Create_MalformedAliasOverride_FailsStartUp(string value) =>
        Assert.Throws<InvalidOperationException>(() => AnthropicModelAliases.Create("us-east-1", null, value));

    [Fact]
    public void Create_MalformedBetaRow_FailsStartUp() =>
        Assert.Throws<InvalidOperationException>(() => AnthropicBodyPolicy.Create(null, "not-a-family=beta"));

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5")]
    [InlineData("anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4")]
    [InlineData("us.anthropic.claude-opus-5-5", "claude")]
    [InlineData("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc", null)]
    public void FamilyOf_ModelId_LongestMatchingRow(string modelId, string? family) =>
        Assert.Equal(family, AnthropicBodyPolicy.Create(null, null).FamilyOf(modelId));
}
