using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Tests.Config;

public sealed class LimitsOverlapSettingTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("false", false)]
    public void FromEnvironment_LimitsOverlapBedrock_OnUnlessFalse(string? value, bool expected)
    {
        ProxySettings settings = ProxySettings.FromEnvironment(name => name == "LIMITS_OVERLAP_BEDROCK" ? value : null);

        Assert.Equal(expected, settings.LimitsOverlapBedrock);
    }

    [Fact]
    public void FromEnvironment_LimitsOverlapBedrockMisspelt_FailsStartUpNamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => ProxySettings.FromEnvironment(name => name == "LIMITS_OVERLAP_BEDROCK" ? "yes" : null));

        Assert.Contains("LIMITS_OVERLAP_BEDROCK", error.Message, StringComparison.Ordinal);
    }
}
