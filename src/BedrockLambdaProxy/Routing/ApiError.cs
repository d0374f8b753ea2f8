namespace BedrockLambdaProxy.Routing;

/// <summary>
/// An error answered before the first byte: an honest HTTP status, an AWS-style error type
/// (ValidationException, ThrottlingException, …) and a message that is safe to show the caller.
/// </summary>
internal sealed record ApiError(int StatusCode, string Type, string Message)
{
    /// <summary>Seconds for a Retry-After header (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Headers the answer must carry besides the error ones (WWW-Authenticate, rate-limit headers).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    /// <summary>The request field at fault (OpenAI's <c>param</c>, e.g. <c>messages[2].content</c>); null when none is.</summary>
    public string? Param { get; init; }

    /// <summary>A machine-readable code (OpenAI's <c>code</c>: invalid_api_key, model_not_found, …); null derives one from <see cref="Type"/>.</summary>
    public string? Code { get; init; }

    public static ApiError BadRequest(string message) => new(400, "ValidationException", message);

    public static ApiError NotFound(string message) => new(404, "ResourceNotFoundException", message);

    /// <summary>The invocation deadline passed before the answer was ready.</summary>
    public static ApiError DeadlineExceeded() =>
        new(504, "DeadlineExceeded", "The proxy's time limit ran out before the answer was ready.");

    /// <summary>
    /// A buffered front (API Gateway's proxy integration, a BUFFERED Function URL) cannot carry an
    /// answer this large. 502, not 4xx: the request was valid and Bedrock answered it (and billed
    /// it); what failed is the gateway's delivery, and 502 is what API Gateway itself answers when
    /// Lambda refuses an oversized response, so clients see no new status. The type tells it apart
    /// from other 502s, and the message says what works: the streaming route or the Function URL.
    /// </summary>
    public static ApiError ResponseTooLarge(long limitBytes) =>
        new(502, "ResponseTooLarge",
            "The answer is larger than the " + limitBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes a buffered response can carry. "
            + "Ask for it on the streaming route (/stream/... on API Gateway) or on the Function URL, or ask for a shorter answer.");

    /// <summary>A failure of ours: no details leave the function, the request id finds them in the log.</summary>
    public static ApiError Internal(string requestId) =>
        new(500, "InternalServerException", $"The proxy failed unexpectedly. Request id: {requestId}.");
}
