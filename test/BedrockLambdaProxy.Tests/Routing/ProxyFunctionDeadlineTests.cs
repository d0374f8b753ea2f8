using System.Text;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Routing;

/// <summary>The deadline a route plans its retries and failover against: the function's, or the caller's when that comes first.</summary>
public sealed class ProxyFunctionDeadlineTests : IDisposable
{
    private static readonly DateTimeOffset Received = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);
    private readonly BedrockClient _bedrock = BedrockClient.Create(new ProxySettings { Region = "us-east-1" }, TimeProvider.System);

    public void Dispose() => _bedrock.Dispose();

    [Fact]
    public async Task HandleAsync_BufferedApiGatewayRequest_DeadlineIsTheIntegrationTimeout()
    {
        DateTimeOffset deadline = await RouteDeadlineAsync(ApiGatewayEvent("/converse", "/{proxy+}"), functionDeadline: Received.AddMinutes(15));

        Assert.Equal(Received.AddSeconds(29), deadline);
    }

    [Fact]
    public async Task HandleAsync_FunctionEndsBeforeTheCallerGivesUp_DeadlineIsTheFunctions()
    {
        DateTimeOffset deadline = await RouteDeadlineAsync(ApiGatewayEvent("/converse", "/{proxy+}"), functionDeadline: Received.AddSeconds(10));

        Assert.Equal(Received.AddSeconds(10), deadline);
    }

    [Fact]
    public async Task HandleAsync_ApiGatewayStreamRoute_DeadlineIsTheFunctions()
    {
        DateTimeOffset deadline = await RouteDeadlineAsync(ApiGatewayEvent("/stream/converse", "/stream/{proxy+}"), functionDeadline: Received.AddMinutes(15));

        Assert.Equal(Received.AddMinutes(15), deadline);
    }

    private static string ApiGatewayEvent(string path, string resource) => $$"""
        {"resource":"{{resource}}","path":"{{path}}","httpMethod":"POST","headers":{"content-type":"application/json"},
         "requestContext":{"requestId":"r","stage":"v1","requestTimeEpoch":{{Received.ToUnixTimeMilliseconds()}}},
         "body":"{}","isBase64Encoded":false}
        """;

    private async Task<DateTimeOffset> RouteDeadlineAsync(string eventJson, DateTimeOffset functionDeadline)
    {
        DateTimeOffset? seen = null;
        IReadOnlyList<Route> routes = RouteTable.Build(
            _ => context =>
            {
                seen = context.Deadline;
                return Task.CompletedTask;
            },
            (_, _) => _ => Task.CompletedTask,
            new SurfaceSet(_bedrock, TimeProvider.System),
            null);
        var function = new ProxyFunction(
            new EventAdapter(functionUrlStreams: true, EventAdapter.DefaultApiGatewayTimeout), new Router(routes), 1024, TimeProvider.System, new JsonLog(TextWriter.Null, TimeProvider.System));
        var invocation = new Invocation("req-1", functionDeadline, null, null, Encoding.UTF8.GetBytes(eventJson));

        await function.HandleAsync(invocation, new RecordingResponder(), CancellationToken.None);

        return seen ?? throw new InvalidOperationException("the route never ran");
    }
}
