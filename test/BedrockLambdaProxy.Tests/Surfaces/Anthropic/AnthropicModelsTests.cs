using BedrockLambdaProxy.Surfaces.Anthropic;

namespace BedrockLambdaProxy.Tests.Surfaces.Anthropic;

public sealed class AnthropicModelsTests
{
    private static readonly AnthropicModels Models = new(AnthropicSettings.Defaults("us-east-1"));

    [Theory]
    [InlineData("claude-sonnet-4-5", true)]
    [InlineData("claude-sonnet-4-5-20250929", true)]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true)]
    [InlineData("claude-haiku-4-5", false)]
    [InlineData("us.anthropic.claude-haiku-4-5-20251001-v1:0", false)]
    [InlineData("amazon.nova-lite-v1:0", false)]
    [InlineData("claude-nonesuch", false)]
    [InlineData("../etc/passwd", false)]
    public void Serves_AllowListWithOneClaudeProfile_OnlyNamesReachingIt(string name, bool served) =>
        Assert.Equal(served, Models.Serves(name, ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "amazon.nova-lite-v1:0"]));

    [Theory]
    [InlineData("claude-opus-4-1", true)]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", true)]
    [InlineData("meta.llama3-1-8b-instruct-v1:0", false)]
    public void Serves_NoAllowList_AnyClaudeName(string name, bool served) =>
        Assert.Equal(served, Models.Serves(name, []));
}
