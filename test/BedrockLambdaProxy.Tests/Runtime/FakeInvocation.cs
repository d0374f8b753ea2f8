using System.Text;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>An event the fake Runtime API hands out on GET /invocation/next.</summary>
internal sealed record FakeInvocation(
    string RequestId,
    byte[] Payload,
    DateTimeOffset? Deadline,
    string? TraceId = null,
    string? FunctionArn = null)
{
    /// <summary>An event with a JSON payload and a deadline five minutes out.</summary>
    public static FakeInvocation Json(string requestId, string json = "{}") =>
        new(requestId, Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow.AddMinutes(5));
}
