using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>A POST /converse with a proxy key as it reaches the pipeline from the buffered API Gateway front, for tests that drive ProxyPipeline directly.</summary>
internal static class BufferedConverseRequest
{
    public static RequestContext Context(IInvocationResponder responder, string apiKey, string body, TimeProvider time, string requestIdPrefix) => new()
    {
        Request = new ProxyRequest
        {
            Method = "POST",
            Path = "/converse",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["content-type"] = "application/json",
                ["authorization"] = "Bearer " + apiKey,
            },
            Query = new Dictionary<string, string>(),
            Body = System.Text.Encoding.UTF8.GetBytes(body),
            StageVariables = new Dictionary<string, string>(),
            Origin = EventOrigin.ApiGateway,
            Delivery = DeliveryMode.Buffered,
        },
        Response = new HttpResponseChannel(responder, DeliveryMode.Buffered, requestIdPrefix),
        RequestId = requestIdPrefix + "-" + Guid.NewGuid().ToString("N")[..12],
        Deadline = time.GetUtcNow().AddMinutes(1),
        HardDeadline = time.GetUtcNow().AddMinutes(1),
        RouteValues = new Dictionary<string, string>(),
        StartTimestamp = time.GetTimestamp(),
        Cancellation = CancellationToken.None,
    };
}
