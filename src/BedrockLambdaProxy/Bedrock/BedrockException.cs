namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Bedrock refused or could not be reached before any response byte reached the caller, after any
/// retries. <see cref="StatusCode"/> is Bedrock's HTTP status, or 0 when no response arrived.
/// </summary>
internal sealed class BedrockException : Exception
{
    /// <summary>Our name for "no HTTP response at all" (DNS, connect, reset before headers).</summary>
    public const string NetworkErrorType = "NetworkError";

    /// <summary>Our name for "an attempt's response did not start within its start limit" (<see cref="AttemptStartLimit"/>; streaming or unary).</summary>
    public const string StartTimeoutErrorType = "StartTimeout";

    /// <summary>Our name for "the function's own AWS credentials could not be resolved".</summary>
    public const string CredentialsErrorType = "CredentialsError";

    public BedrockException(
        BedrockOperation operation,
        string modelId,
        string errorType,
        string message,
        int statusCode,
        TimeSpan? retryAfter,
        bool isRetryable,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        ModelId = modelId;
        ErrorType = errorType;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        IsRetryable = isRetryable;
    }

    public BedrockOperation Operation { get; }
    public string ModelId { get; }
    /// <summary>The AWS error type (ThrottlingException, ValidationException, …) or one of ours.</summary>
    public string ErrorType { get; }
    public int StatusCode { get; }
    /// <summary>Bedrock's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
    /// <summary>Whether the failure is transient (throttling, 5xx, timeouts, network) and safe to retry.</summary>
    public bool IsRetryable { get; }
    /// <summary>How many attempts were made before giving up; set by the client.</summary>
    public int Attempts { get; internal set; } = 1;
    /// <summary>The region of the last attempt and the attempts made; set by the client.</summary>
    public BedrockRoute? Route { get; internal set; }
    public bool IsNetworkFailure => ErrorType == NetworkErrorType;
}
