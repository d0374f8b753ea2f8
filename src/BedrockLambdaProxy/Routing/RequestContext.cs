using BedrockLambdaProxy.Events;

namespace BedrockLambdaProxy.Routing;

/// <summary>One request on its way through the pipeline.</summary>
internal sealed class RequestContext
{
    public required ProxyRequest Request { get; init; }
    public required HttpResponseChannel Response { get; init; }
    /// <summary>The Lambda invocation's request id: the id logs and usage records carry.</summary>
    public required string RequestId { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>
    /// Lambda's own deadline for the invocation (Deadline may be earlier: a buffered front's timeout). The
    /// request's bookkeeping may run until it, so a concurrency slot is held until it; null means Deadline.
    /// </summary>
    public DateTimeOffset? InvocationDeadline { get; init; }
    /// <summary>Values the route pattern captured (the model id of a Bedrock-native path).</summary>
    public required IReadOnlyDictionary<string, string> RouteValues { get; init; }
    /// <summary>TimeProvider timestamp of when the pipeline received the request (latency, time to first token).</summary>
    public required long StartTimestamp { get; init; }
    /// <summary>Fires at the invocation deadline or when the caller goes away.</summary>
    public required CancellationToken Cancellation { get; init; }
    /// <summary>
    /// The admission decision the Bedrock call waits on (set by the pipeline); every call to Bedrock
    /// goes through it, and the answer's rate-limit headers come from it.
    /// </summary>
    public Limits.AdmissionGate Admission { get; set; } = Limits.AdmissionGate.Admitted;
    /// <summary>Set by the exchange once Bedrock answered or gave up: the region of the last attempt, for the usage record.</summary>
    public Bedrock.BedrockRoute? BedrockRoute { get; set; }
}
