using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Playground;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Playground;

/// <summary>GET /playground through the function's handler (event → router → answer), with the setting on and off.</summary>
public sealed class PlaygroundRouteTests : IDisposable
{
    private static readonly PlaygroundPage Page = PlaygroundPage.Load();
    private readonly BedrockClient _bedrock = BedrockClient.Create(new ProxySettings { Region = "us-east-1" }, TimeProvider.System);

    public void Dispose() => _bedrock.Dispose();

    [Fact]
    public async Task HandleAsync_PlaygroundEnabled_StreamsPageWithSecurityHeaders()
    {
        RecordingResponder responder = await InvokeAsync(FunctionUrlEvent("GET", "/playground"), enabled: true);

        Assert.Equal(200, responder.Prelude!.StatusCode);
        IReadOnlyList<KeyValuePair<string, string>> headers = responder.Prelude.Headers;
        Assert.Contains(new("content-type", "text/html; charset=utf-8"), headers);
        Assert.Contains(new("content-security-policy", Page.ContentSecurityPolicy), headers);
        Assert.Contains(new("x-content-type-options", "nosniff"), headers);
        Assert.Contains(new("referrer-policy", "no-referrer"), headers);
        Assert.Contains(new("x-frame-options", "DENY"), headers);
        Assert.Contains(new("cache-control", "no-store"), headers);
        Assert.DoesNotContain(headers, h => h.Key.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Page.Html.ToArray(), responder.StreamedBody);
        Assert.True(responder.Completed);
    }

    [Fact]
    public async Task HandleAsync_PlaygroundThroughBufferedApiGateway_SendsPageAsText()
    {
        RecordingResponder responder = await InvokeAsync(ApiGatewayEvent("/playground"), enabled: true);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        JsonElement root = envelope.RootElement;
        Assert.Equal(200, root.GetProperty("statusCode").GetInt32());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Encoding.UTF8.GetString(Page.Html.Span), root.GetProperty("body").GetString());
        Assert.Equal(Page.ContentSecurityPolicy, root.GetProperty("headers").GetProperty("content-security-policy").GetString());
    }

    [Fact]
    public async Task HandleAsync_PlaygroundDisabled_Is404Json()
    {
        RecordingResponder responder = await InvokeAsync(FunctionUrlEvent("GET", "/playground"), enabled: false);

        Assert.Equal(404, responder.Prelude!.StatusCode);
        Assert.Contains(new("content-type", "application/json"), responder.Prelude.Headers);
        Assert.Equal("""{"error":{"type":"NotFound","message":"No route for GET /playground."}}""", Encoding.UTF8.GetString(responder.StreamedBody));
    }

    [Fact]
    public async Task HandleAsync_PostToPlayground_Is405AllowingGet()
    {
        RecordingResponder responder = await InvokeAsync(FunctionUrlEvent("POST", "/playground"), enabled: true);

        Assert.Equal(405, responder.Prelude!.StatusCode);
        Assert.Contains(new("allow", "GET"), responder.Prelude.Headers);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    public void FromEnvironment_PlaygroundEnabled_DefaultsOff(string? value, bool expected)
    {
        ProxySettings settings = ProxySettings.FromEnvironment(name => name == ProxySettings.Names.PlaygroundEnabled ? value : null);

        Assert.Equal(expected, settings.PlaygroundEnabled);
    }

    [Fact]
    public void FromEnvironment_PlaygroundEnabledNotABoolean_FailsStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ProxySettings.FromEnvironment(name => name == ProxySettings.Names.PlaygroundEnabled ? "yes" : null));

        Assert.Contains("PLAYGROUND_ENABLED", error.Message, StringComparison.Ordinal);
    }

    private async Task<RecordingResponder> InvokeAsync(string eventJson, bool enabled)
    {
        IReadOnlyList<Route> routes = RouteTable.Build(
            _ => _ => throw new InvalidOperationException("the playground never reaches an authenticated surface"),
            (_, _) => _ => throw new InvalidOperationException("the playground never needs a customer"),
            new SurfaceSet(_bedrock, TimeProvider.System),
            enabled ? Page.HandleAsync : null);
        var function = new ProxyFunction(new EventAdapter(functionUrlStreams: true, EventAdapter.DefaultApiGatewayTimeout), new Router(routes), 1024 * 1024,
            TimeProvider.System, new JsonLog(TextWriter.Null, TimeProvider.System));
        var responder = new RecordingResponder();
        var invocation = new Invocation("req-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null, Encoding.UTF8.GetBytes(eventJson));

        await function.HandleAsync(invocation, responder, CancellationToken.None);
        return responder;
    }

    private static string FunctionUrlEvent(string method, string path) =>
        $$$"""
        {"version":"2.0","routeKey":"$default","rawPath":"{{{path}}}","rawQueryString":"","headers":{"accept":"text/html"},
         "requestContext":{"requestId":"fu-req","http":{"method":"{{{method}}}","path":"{{{path}}}","sourceIp":"203.0.113.9"}},
         "isBase64Encoded":false}
        """;

    private static string ApiGatewayEvent(string path) =>
        $$"""
        {"resource":"/{proxy+}","path":"{{path}}","httpMethod":"GET","headers":{"Accept":"text/html"},
         "requestContext":{"requestId":"apigw-req","stage":"prod"},"body":null,"isBase64Encoded":false}
        """;
}
