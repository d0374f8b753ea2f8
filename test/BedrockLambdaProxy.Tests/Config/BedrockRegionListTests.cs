using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Tests.Config;

public sealed class BedrockRegionListTests
{
    [Fact]
    public void FromEnvironment_NoRegionList_OneHomeRegionAtItsEndpoint()
    {
        ProxySettings settings = Read(("AWS_REGION", "eu-west-1"), ("BEDROCK_ENDPOINT", "http://127.0.0.1:9002"));

        Assert.Equal([new BedrockRegion("eu-west-1", new Uri("http://127.0.0.1:9002"))], settings.ResolvedBedrockRegions());
    }

    [Fact]
    public void FromEnvironment_Regions_OrderKeptAndPublicEndpoints()
    {
        ProxySettings settings = Read(("AWS_REGION", "us-east-1"), ("BEDROCK_REGIONS", " us-west-2 , us-east-1 "));

        Assert.Equal(
            [
                new BedrockRegion("us-west-2", new Uri("https://bedrock-runtime.us-west-2.amazonaws.com")),
                new BedrockRegion("us-east-1", new Uri("https://bedrock-runtime.us-east-1.amazonaws.com")),
            ],
            settings.ResolvedBedrockRegions());
    }

    [Fact]
    public void FromEnvironment_EndpointsAndHomeEndpoint_EachRegionGetsItsOwn()
    {
        ProxySettings settings = Read(
            ("AWS_REGION", "us-east-1"),
            ("BEDROCK_ENDPOINT", "http://127.0.0.1:1001"),
            ("BEDROCK_REGIONS", "us-east-1,us-west-2,eu-central-1"),
            ("BEDROCK_ENDPOINTS", "us-west-2=http://127.0.0.1:1002"));

        Assert.Equal(
            [
                new BedrockRegion("us-east-1", new Uri("http://127.0.0.1:1001")),
                new BedrockRegion("us-west-2", new Uri("http://127.0.0.1:1002")),
                new BedrockRegion("eu-central-1", new Uri("https://bedrock-runtime.eu-central-1.amazonaws.com")),
            ],
            settings.ResolvedBedrockRegions());
    }

    [Fact]
    public void FromEnvironment_EndpointsOnly_TheirOrderIsTheRegionOrder()
    {
        ProxySettings settings = Read(("BEDROCK_ENDPOINTS", "us-west-2=http://127.0.0.1:2,us-east-1=http://127.0.0.1:1"));

        Assert.Equal(["us-west-2", "us-east-1"], settings.ResolvedBedrockRegions().Select(r => r.Name));
    }

    [Theory]
    [InlineData("BEDROCK_REGIONS", "us-east-1,us-east-1", "twice")]
    [InlineData("BEDROCK_REGIONS", "us-east-1,,us-west-2", "not an AWS region")]
    [InlineData("BEDROCK_REGIONS", "US-EAST-1", "not an AWS region")]
    [InlineData("BEDROCK_REGIONS", "us-east-1;us-west-2", "not an AWS region")]
    [InlineData("BEDROCK_ENDPOINTS", "us-west-2", "region=url")]
    [InlineData("BEDROCK_ENDPOINTS", "us-west-2=ftp://x", "region=url")]
    public void FromEnvironment_MalformedList_FailsStartUpNamingTheSetting(string name, string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((name, value)));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_EndpointForUnlistedRegion_FailsStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(
            ("BEDROCK_REGIONS", "us-east-1"), ("BEDROCK_ENDPOINTS", "us-west-2=http://127.0.0.1:1")));

        Assert.Contains("us-west-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_HomeEndpointButHomeNotListed_FailsStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(
            ("AWS_REGION", "us-east-1"), ("BEDROCK_ENDPOINT", "http://127.0.0.1:1"), ("BEDROCK_REGIONS", "us-west-2")));

        Assert.Contains("BEDROCK_ENDPOINTS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_BreakerAndMetricsSettings_Read()
    {
        ProxySettings settings = Read(
            ("BEDROCK_REGION_FAILURE_THRESHOLD", "5"), ("BEDROCK_REGION_COOLDOWN_SECONDS", "60"),
            ("METRICS_ENABLED", "false"), ("METRICS_NAMESPACE", "Acme/Proxy"));

        Assert.Equal(5, settings.BedrockRegionFailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.BedrockRegionCooldown);
        Assert.False(settings.MetricsEnabled);
        Assert.Equal("Acme/Proxy", settings.MetricsNamespace);
    }

    [Fact]
    public void FromEnvironment_Defaults_MetricsOnAndThreeFailuresThirtySeconds()
    {
        ProxySettings settings = Read();

        Assert.True(settings.MetricsEnabled);
        Assert.Equal(3, settings.BedrockRegionFailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.BedrockRegionCooldown);
        Assert.Equal("BedrockLambdaProxy", settings.MetricsNamespace);
        Assert.Equal(TimeSpan.FromSeconds(29), settings.ApiGatewayTimeout);
    }

    [Fact]
    public void FromEnvironment_ApiGatewayTimeout_RaisedIntegrationTimeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), Read(("API_GATEWAY_TIMEOUT_SECONDS", "120")).ApiGatewayTimeout);
        Assert.Throws<InvalidOperationException>(() => Read(("API_GATEWAY_TIMEOUT_SECONDS", "0")));
    }

    [Theory]
    [InlineData(null, "auto")]
    [InlineData("auto", "auto")]
    [InlineData("AUTO", "auto")]
    [InlineData("0", "none")]
    [InlineData("45", "45 s")]
    [InlineData("900", "900 s")]
    public void FromEnvironment_StreamStartTimeout_FairShareUnlessSet(string? value, string limit)
    {
        ProxySettings settings = value is null ? Read() : Read(("BEDROCK_STREAM_START_TIMEOUT_SECONDS", value));

        Assert.Equal(limit, settings.BedrockStreamStartLimit.ToString());
    }

    [Theory]
    [InlineData(null, "none")]
    [InlineData("0", "none")]
    [InlineData("120", "120 s")]
    [InlineData("auto", "auto")]
    public void FromEnvironment_UnaryTimeout_NoneUnlessSet(string? value, string limit)
    {
        ProxySettings settings = value is null ? Read() : Read(("BEDROCK_UNARY_TIMEOUT_SECONDS", value));

        Assert.Equal(limit, settings.BedrockUnaryStartLimit.ToString());
    }

    [Theory]
    [InlineData("BEDROCK_STREAM_START_TIMEOUT_SECONDS", "-1")]
    [InlineData("BEDROCK_STREAM_START_TIMEOUT_SECONDS", "901")]
    [InlineData("BEDROCK_STREAM_START_TIMEOUT_SECONDS", "1.5")]
    [InlineData("BEDROCK_UNARY_TIMEOUT_SECONDS", "soon")]
    [InlineData("BEDROCK_UNARY_TIMEOUT_SECONDS", " 30")]
    public void FromEnvironment_StartLimitMalformed_FailsStartUp(string name, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((name, value)));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    private static ProxySettings Read(params (string Name, string Value)[] values)
    {
        var environment = values.ToDictionary(v => v.Name, v => v.Value);
        return ProxySettings.FromEnvironment(name => environment.GetValueOrDefault(name));
    }
}
