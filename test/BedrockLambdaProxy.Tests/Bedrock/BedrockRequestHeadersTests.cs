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
    [InlineData("x-amzn-bedrock-trace", "ENABLED\r\nX-Injected: 1", BedrockRequestHeaders.TraceName)]
    [InlineData("x-amzn-bedrock-guardrailidentifier", "gr\n", BedrockRequestHeaders.GuardrailIdentifierName)]
    [InlineData("content-type", "application/json\r", BedrockRequestHeaders.ContentTypeName)]
    [InlineData("accept", "application/j\u00e9son", BedrockRequestHeaders.AcceptName)]
    [InlineData("x-amzn-bedrock-performanceconfig-latency", "optimized\t", BedrockRequestHeaders.PerformanceConfigLatencyName)]
    [InlineData("x-amzn-bedrock-guardrailversion", "1\u007f", BedrockRequestHeaders.GuardrailVersionName)]
    [InlineData("x-amzn-bedrock-accept", "\u0000", BedrockRequestHeaders.BedrockAcceptName)]
    public void FindInvalid_ControlOrNonAsciiCharacter_NamesTheHeader(string header, string value, string expected)
    {
        var incoming = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-amzn-bedrock-trace"] = "ENABLED",
            [header] = value,
        };

        Assert.Equal(expected, BedrockRequestHeaders.FindInvalid(name => incoming.GetValueOrDefault(name)));
        // The same value, once in a header set, is caught by the client's own check too.
        Assert.Equal(expected, BedrockRequestHeaders.From(name => name == expected ? value + "x" : null).FindInvalid());
    }

    [Fact]
    public void FindInvalid_VisibleAsciiAndSpaces_Null()
    {
        var incoming = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["content-type"] = "application/json; charset=utf-8",
            ["accept"] = "*/*",
            ["x-amzn-bedrock-trace"] = " ENABLED_FULL ",
            ["x-other"] = "caf\u00e9\r\n",
        };

        Assert.Null(BedrockRequestHeaders.FindInvalid(name => incoming.GetValueOrDefault(name)));
        Assert.Null(BedrockRequestHeaders.From(name => incoming.GetValueOrDefault(name)).FindInvalid());
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
