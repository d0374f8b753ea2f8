using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class OutputTokenDefaultsTests
{
    [Theory]
    [InlineData("anthropic.claude-sonnet-4-20250514-v1:0", 64_000)]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", 64_000)]
    [InlineData("global.anthropic.claude-sonnet-4-5-20250929-v1:0", 64_000)]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0", 64_000)]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", 8_192)]
    [InlineData("amazon.nova-lite-v1:0", 10_000)]
    [InlineData("apac.amazon.nova-pro-v1:0", 10_000)]
    [InlineData("us.amazon.nova-premier-v1:0", 32_000)]
    [InlineData("meta.llama3-1-70b-instruct-v1:0", 8_192)]
    [InlineData("mistral.mistral-large-2402-v1:0", 8_192)]
    [InlineData("cohere.command-r-plus-v1:0", 4_096)]
    [InlineData("us.deepseek.r1-v1:0", 32_768)]
    [InlineData("openai.gpt-oss-120b-1:0", 32_768)]
    [InlineData("ai21.jamba-1-5-large-v1:0", 4_096)]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4", 4_096)]
    [InlineData("sim.delay:100.amazon.nova-lite-v1:0", 4_096)]
    [InlineData("qwen.qwen3-32b-v1:0", 4_096)]
    public void For_ModelIdProfileOrArn_GivesItsFamilysDefault(string modelId, long expected)
    {
        Assert.Equal(expected, OutputTokenDefaults.Default.For(modelId));
    }

    [Fact]
    public void Parse_Overrides_ReplaceAndExtendTheBuiltInTableLongestPrefixFirst()
    {
        OutputTokenDefaults defaults = OutputTokenDefaults.Parse(" anthropic.=8192 , anthropic.claude-3-haiku=4096,*=1000 ", "X");

        Assert.Equal(8192, defaults.For("us.anthropic.claude-sonnet-4-20250514-v1:0"));
        Assert.Equal(4096, defaults.For("anthropic.claude-3-haiku-20240307-v1:0"));
        Assert.Equal(1000, defaults.For("sim.chunks:3.amazon.nova-lite-v1:0"));
        Assert.Equal(10_000, defaults.For("amazon.nova-lite-v1:0")); // not overridden
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_Empty_IsTheBuiltInTable(string? value)
    {
        Assert.Same(OutputTokenDefaults.Default, OutputTokenDefaults.Parse(value, "X"));
    }

    [Theory]
    [InlineData("anthropic.")]
    [InlineData("=100")]
    [InlineData("anthropic.=0")]
    [InlineData("anthropic.=2000000")]
    [InlineData("anthropic.=-5")]
    [InlineData("anthropic.=lots")]
    public void Parse_MalformedEntry_ThrowsNamingTheSettingAndEntry(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OutputTokenDefaults.Parse(value, "LIMITS_DEFAULT_MAX_TOKENS"));

        Assert.Contains("LIMITS_DEFAULT_MAX_TOKENS", error.Message, StringComparison.Ordinal);
        Assert.Contains(value.Trim(), error.Message, StringComparison.Ordinal);
    }
}
