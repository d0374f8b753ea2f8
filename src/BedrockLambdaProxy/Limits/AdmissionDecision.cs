namespace BedrockLambdaProxy.Limits;

/// <summary>
/// The outcome of <see cref="Admission.AdmitAsync"/>: admitted (200) or refused (403 model not
/// allowed, 429 over a limit, 503 limits store unreachable), with the rate-limit headers that every
/// response carries, and what settlement needs to correct the reservation afterwards.
/// </summary>
internal sealed record AdmissionDecision
{
    public required bool IsAdmitted { get; init; }
    /// <summary>200 when admitted; 403, 429 or 503 otherwise.</summary>
    public required int Status { get; init; }
    /// <summary>Which limit refused the request (see <see cref="LimitNames"/>); null unless 429.</summary>
    public string? LimitName { get; init; }
    /// <summary>A sentence for the client's error body; null when admitted.</summary>
    public string? Message { get; init; }
    /// <summary>For the Retry-After header (whole seconds, rounded up) on 429 and 503.</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>x-ratelimit-* headers (and Retry-After when set), ready to copy onto the response.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
    /// <summary>What settlement corrects; set on every admitted decision, null when refused.</summary>
    public Settlement? Settlement { get; init; }
    /// <summary>
    /// What settlement corrects on the API key's own counter item, when the key has limits of its own (in addition to
    /// <see cref="Settlement"/> on the customer's); null otherwise.
    /// </summary>
    public Settlement? KeySettlement { get; init; }
    /// <summary>Why the limits store could not be used (503, or admitted under fail-open); for the log.</summary>
    public Exception? Failure { get; init; }
}
