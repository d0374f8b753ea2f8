namespace BedrockLambdaProxy.Events;

/// <summary>An HTTP request as the pipeline sees it, whichever front delivered it.</summary>
internal sealed class ProxyRequest
{
    public required string Method { get; init; }
    /// <summary>The path as the router matches it: no stage, no <c>/stream</c> prefix, still percent-encoded.</summary>
    public required string Path { get; init; }
    /// <summary>Header names compare case-insensitively, as HTTP requires.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required IReadOnlyDictionary<string, string> Query { get; init; }
    public required ReadOnlyMemory<byte> Body { get; init; }
    public string? SourceIp { get; init; }
    /// <summary>The front's request id (API Gateway / Function URL), for correlating logs.</summary>
    public string? FrontRequestId { get; init; }
    public required IReadOnlyDictionary<string, string> StageVariables { get; init; }
    public required EventOrigin Origin { get; init; }
    public required DeliveryMode Delivery { get; init; }
    /// <summary>
    /// When the caller stops waiting, if before the function's own deadline: a buffered API Gateway
    /// request's integration timeout after API Gateway received it. Null for the other fronts, which
    /// wait as long as the function runs.
    /// </summary>
    public DateTimeOffset? CallerGivesUpAt { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
