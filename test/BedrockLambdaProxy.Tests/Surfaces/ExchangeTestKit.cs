using Amazon.Runtime;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces;

/// <summary>Builds a Bedrock client over a scripted transport and a request context over a recording responder.</summary>
internal static class ExchangeTestKit
{
    public static BedrockClient Client(HttpMessageHandler transport, int maxAttempts = 1) =>
        new(
            new ProxySettings { Region = "us-east-1", BedrockEndpoint = new Uri("http://127.0.0.1:9") },
            transport,
            new BasicAWSCredentials("AKIDTEST", "secret"),
            new BedrockRetryPolicy(maxAttempts, TimeProvider.System, () => 0, (_, _) => Task.CompletedTask));

    public static RequestContext Context(RecordingResponder responder, DeliveryMode delivery, byte[] body, CancellationToken cancellation = default) =>
        new()
        {
            Request = new ProxyRequest
            {
                Method = "POST",
                Path = "/converse",
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "application/json" },
                Query = new Dictionary<string, string>(),
                Body = body,
                StageVariables = new Dictionary<string, string>(),
                Origin = delivery == DeliveryMode.Streamed ? EventOrigin.FunctionUrl : EventOrigin.ApiGateway,
                Delivery = delivery,
            },
            Response = new HttpResponseChannel(responder, delivery),
            RequestId = "req-1",
            Deadline = DateTimeOffset.UtcNow.AddMinutes(5),
            RouteValues = new Dictionary<string, string>(),
            StartTimestamp = TimeProvider.System.GetTimestamp(),
            Cancellation = cancellation,
        };

    /// <summary>A context whose admission has already admitted the request with <paramref name="rateLimitHeaders"/>.</summary>
    public static RequestContext Admitted(
        RecordingResponder responder, DeliveryMode delivery, byte[] body, IReadOnlyList<KeyValuePair<string, string>> rateLimitHeaders)
    {
        RequestContext context = Context(responder, delivery, body);
        context.Admission = new AdmissionGate(Task.FromResult(new AdmissionDecision { IsAdmitted = true, Status = 200, Headers = rateLimitHeaders }));
        return context;
    }
}
