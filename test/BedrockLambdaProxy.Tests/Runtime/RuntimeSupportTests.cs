using System.Text.Json;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The Runtime API address and the loop's log lines.</summary>
public sealed class RuntimeSupportTests
{
    [Fact]
    public void Parse_HostAndPort_BuildsRuntimePaths()
    {
        RuntimeApiEndpoint endpoint = RuntimeApiEndpoint.Parse("127.0.0.1:9001");

        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal(9001, endpoint.Port);
        Assert.Equal("127.0.0.1:9001", endpoint.HostHeader);
        Assert.Equal("/2018-06-01/runtime/invocation/a%2Fb%20c/response", endpoint.InvocationPath("a/b c", "response"));
    }

    [Fact]
    public void Parse_BracketedIpv6_ConnectsWithoutBrackets()
    {
        RuntimeApiEndpoint endpoint = RuntimeApiEndpoint.Parse("[::1]:9001");

        Assert.Equal("::1", endpoint.Host);
        Assert.Equal("[::1]:9001", endpoint.HostHeader);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9001")]
    [InlineData("user@127.0.0.1:9001")]
    [InlineData("127.0.0.1:notaport")]
    public void Parse_NotHostPort_ThrowsArgumentException(string value)
    {
        Assert.ThrowsAny<ArgumentException>(() => RuntimeApiEndpoint.Parse(value));
    }

    [Fact]
    public void Format_WithException_WritesOneJsonObject()
    {
        string line = RuntimeLog.Format("error", "The handler failed.", "req-1", new InvalidOperationException("boom"));

        using JsonDocument parsed = JsonDocument.Parse(line);
        JsonElement root = parsed.RootElement;
        Assert.DoesNotContain('\n', line);
        Assert.Equal("error", root.GetProperty("level").GetString());
        Assert.Equal("The handler failed.", root.GetProperty("message").GetString());
        Assert.Equal("req-1", root.GetProperty("requestId").GetString());
        Assert.Equal("System.InvalidOperationException", root.GetProperty("errorType").GetString());
        Assert.StartsWith("System.InvalidOperationException: boom", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_WithoutRequestOrException_OmitsThoseFields()
    {
        string line = RuntimeLog.Format("error", "stopping", null, null);

        Assert.Equal("{\"level\":\"error\",\"message\":\"stopping\"}", line);
    }
}
