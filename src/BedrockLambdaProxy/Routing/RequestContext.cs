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
    /// When Lambda stops the sandbox (the invocation's deadline, not the caller's patience): the
    /// after-answer bookkeeping must finish, or write its unwritten line, before it.
    /// </summary>
    public DateTimeOffset HardDeadline { get; init; } = DateTimeOffset.MaxValue;
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
    /// <summary>Bedrock's x-amzn-RequestId of the answer (or error) it sent; null when it sent none.</summary>
    public string? BedrockRequestId { get; set; }
    /// <summary>Set by an exchange that makes several Bedrock calls (embeddings): every served call's request id, for the usage record.</summary>
    public IReadOnlyList<string>? BedrockRequestIds { get; set; }
    /// <summary>Set with <see cref="BedrockRequestIds"/>: how many calls Bedrock served.</summary>
    public int? BedrockCalls { get; set; }
    /// <summary>
    /// Set by the exchange as soon as Bedrock accepted the call (a stream opened, a unary answer
    /// arrived): from then on Bedrock may charge it, so every ending bills from it, a proxy fault included.
    /// </summary>
    public Surfaces.StreamUsageTracker? Usage { get; set; }
}
