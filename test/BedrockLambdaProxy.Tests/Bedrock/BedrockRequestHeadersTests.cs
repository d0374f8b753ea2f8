using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockRequestHeadersTests
{
    [Fact]
    public void From_CaseInsensitiveLookup_PicksOnlyBedrockHeaders()
    {
        var incoming = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["content-type"] = "application/json",
            ["accept"] = "*/*",
            ["x-amzn-bedrock-accept"] = "application/json",
            ["x-amzn-bedrock-trace"] = "ENABLED_FULL",
            ["x-amzn-bedrock-guardrailidentifier"] = "gr-abc",
            ["x-amzn-bedrock-guardrailversion"] = " 3 ",
            ["x-amzn-bedrock-performanceconfig-latency"] = "optimized",
            ["authorization"] = "Bearer secret",
        };

        BedrockRequestHeaders headers = BedrockRequestHeaders.From(name => incoming.GetValueOrDefault(name));

        Assert.Equal(
            new BedrockRequestHeaders
            {
                ContentType = "application/json",
                Accept = "*/*",
                BedrockAccept = "application/json",
                Trace = "ENABLED_FULL",
                GuardrailIdentifier = "gr-abc",
                GuardrailVersion = "3",
                PerformanceConfigLatency = "optimized",
            },
            headers);
        Assert.DoesNotContain(headers.NonContentHeaders(), h => h.Key.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(6, headers.NonContentHeaders().Count());
    }

    [Fact]
    public void From_NothingPresent_EqualsEmpty()
    {
        Assert.Equal(BedrockRequestHeaders.Empty, BedrockRequestHeaders.From(_ => null));
        Assert.Empty(BedrockRequestHeaders.Empty.NonContentHeaders());
    }

    [Theory]
    [InlineData("ThrottlingException", 400, true)]
    [InlineData("ValidationException", 500, false)]
    [InlineData("Unknown", 429, true)]
    [InlineData("Unknown", 408, true)]
    [InlineData("Unknown", 502, true)]
    [InlineData("Unknown", 409, false)]
    [InlineData("Unknown", 400, false)]
    public void IsRetryable_TypeAndStatus_FollowsRetryRules(string errorType, int status, bool expected)
    {
        Assert.Equal(expected, BedrockRetryPolicy.IsRetryable(errorType, status));
    }
}
