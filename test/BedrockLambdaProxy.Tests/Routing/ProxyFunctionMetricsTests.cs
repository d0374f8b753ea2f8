using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Fakes;
using BedrockLambdaProxy.Tests.Metrics;

namespace BedrockLambdaProxy.Tests.Routing;

/// <summary>
/// Requests the handler answers before any route runs (no route, wrong method, body too large) and
/// failures that escape a route still count in the metrics: one EMF line each, no customer or model.
/// </summary>
public sealed class ProxyFunctionMetricsTests : IDisposable
{
    private readonly BedrockClient _bedrock = BedrockClient.Create(new ProxySettings { Region = "us-east-1" }, TimeProvider.System);
    private readonly StringWriter _output = new();

    public void Dispose() => _bedrock.Dispose();

    [Theory]
    [InlineData("GET", "/no/such/route", "{}", 404)]
    [InlineData("GET", "/converse", "{}", 405)]
    [InlineData("POST", "/converse", "BIG", 413)]
    public async Task HandleAsync_RefusedBeforeAnyRoute_OneClientErrorMetricsLine(string method, string path, string body, int status)
    {
        RecordingResponder responder = await InvokeAsync(method, path, body == "BIG" ? new string('x', 2048) : body, throwInRoute: false);

        Assert.Equal(status, StatusOf(responder));
        JsonElement line = Assert.Single(MetricsLines(out string text));
        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal(status, line.GetProperty("status").GetInt32());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(1, line.GetProperty("ClientErrors").GetInt32());
        Assert.Equal(0, line.GetProperty("ProxyErrors").GetInt32());
        Assert.False(line.TryGetProperty("CustomerId", out _));
        Assert.Equal("req-1", line.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task HandleAsync_RouteThrowsBeforeAnswering_500AndOneProxyErrorMetricsLine()
    {
        RecordingResponder responder = await InvokeAsync("POST", "/converse", "{}", throwInRoute: true);

        Assert.Equal(500, StatusOf(responder));
        JsonElement line = Assert.Single(MetricsLines(out _));
        Assert.Equal(1, line.GetProperty("ProxyErrors").GetInt32());
        Assert.Equal(0, line.GetProperty("ClientErrors").GetInt32());
    }

    private async Task<RecordingResponder> InvokeAsync(string method, string path, string body, bool throwInRoute)
    {
        IReadOnlyList<Route> routes = RouteTable.Build(
            _ => _ => throwInRoute ? throw new InvalidOperationException("a bug in a route") : Task.CompletedTask,
            (_, _) => _ => Task.CompletedTask,
            new SurfaceSet(_bedrock, TimeProvider.System),
            null);
        var log = new JsonLog(_output, TimeProvider.System);
        var function = new ProxyFunction(new EventAdapter(functionUrlStreams: false, EventAdapter.DefaultApiGatewayTimeout), new Router(routes), 1024,
            TimeProvider.System, log, new MetricsLog(log, "Test/Proxy", TimeProvider.System));
        var responder = new RecordingResponder();
        string eventJson = $$$"""
            {"version":"2.0","routeKey":"$default","rawPath":"{{{path}}}","rawQueryString":"","headers":{"content-type":"application/json"},
             "requestContext":{"requestId":"fu-req","http":{"method":"{{{method}}}","path":"{{{path}}}","sourceIp":"203.0.113.9"}},
             "body":{{{JsonSerializer.Serialize(body)}}},"isBase64Encoded":false}
            """;
        var invocation = new Invocation("req-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null, Encoding.UTF8.GetBytes(eventJson));

        await function.HandleAsync(invocation, responder, CancellationToken.None);
        return responder;
    }

    /// <summary>The status of a buffered Function URL answer (its JSON envelope).</summary>
    private static int StatusOf(RecordingResponder responder) =>
        JsonDocument.Parse(responder.Buffered!).RootElement.GetProperty("statusCode").GetInt32();

    private List<JsonElement> MetricsLines(out string text)
    {
        string[] lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        text = lines.LastOrDefault(l => l.Contains("\"request metrics\"", StringComparison.Ordinal)) ?? "";
        return [.. lines.Where(l => l.Contains("\"request metrics\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement)];
    }
}
