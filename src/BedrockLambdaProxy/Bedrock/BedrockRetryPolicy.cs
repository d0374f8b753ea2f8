namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// When and how long to wait before trying Bedrock again: only transient failures (throttling, 5xx,
/// model not ready, model timeout, network), exponential backoff with full jitter, a bounded number
/// of attempts, and never a wait that would end past the caller's deadline.
/// </summary>
internal sealed class BedrockRetryPolicy
{
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> RetryableTypes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "ServiceUnavailableException", "InternalServerException",
        "ModelNotReadyException", "ModelTimeoutException", BedrockException.NetworkErrorType,
        BedrockException.StartTimeoutErrorType,
    };

    private static readonly HashSet<string> NeverRetriedTypes = new(StringComparer.Ordinal)
    {
        "ValidationException", "AccessDeniedException", "ResourceNotFoundException",
        "ServiceQuotaExceededException", "ModelErrorException", "ConflictException",
        BedrockException.CredentialsErrorType,
    };

    private readonly Func<double> _random;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="maxAttempts">Attempts in all, the first included (ProxySettings.BedrockMaxAttempts).</param>
    /// <param name="time">The clock for deadlines and, by default, for waiting.</param>
    /// <param name="random">Uniform in [0, 1); tests pass a fixed value.</param>
    /// <param name="delay">How to wait; tests pass one that records instead of sleeping.</param>
    public BedrockRetryPolicy(
        int maxAttempts,
        TimeProvider time,
        Func<double>? random = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
        Time = time;
        _random = random ?? Random.Shared.NextDouble;
        _delay = delay ?? ((wait, ct) => Task.Delay(wait, time, ct));
    }

    public int MaxAttempts { get; }
    public TimeProvider Time { get; }
    public TimeSpan BaseDelay { get; init; } = DefaultBaseDelay;
    public TimeSpan MaxDelay { get; init; } = DefaultMaxDelay;

    /// <summary>Whether an error of this type and HTTP status may be retried before the first byte.</summary>
    public static bool IsRetryable(string errorType, int statusCode)
    {
        if (RetryableTypes.Contains(errorType))
        {
            return true;
        }
        if (NeverRetriedTypes.Contains(errorType))
        {
            return false;
        }
        return statusCode is 429 or 408 or >= 500;
    }

    /// <summary>
    /// Whether another attempt may follow failed attempt <paramref name="failedAttempt"/> at all:
    /// the failure is transient, attempts are left, and the deadline has not passed. A move to a
    /// region this request has not tried yet needs nothing more; a return to a tried one also
    /// waits <see cref="NextDelay"/>.
    /// </summary>
    public bool MayTryAgain(BedrockException failure, int failedAttempt, DateTimeOffset? deadline) =>
        failure.IsRetryable && failedAttempt < MaxAttempts && (deadline is not { } end || Time.GetUtcNow() < end);

    /// <summary>
    /// The wait before attempt <paramref name="failedAttempt"/> + 1, or null when the failure must be
    /// returned now: not retryable, attempts used up, or the wait would end past the deadline.
    /// </summary>
    public TimeSpan? NextDelay(BedrockException failure, int failedAttempt, DateTimeOffset? deadline)
    {
        if (!failure.IsRetryable || failedAttempt >= MaxAttempts)
        {
            return null;
        }
        // Full jitter (random in [0, min(cap, base * 2^n))) spreads a burst of throttled callers apart.
        double ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1));
        TimeSpan wait = TimeSpan.FromMilliseconds(ceiling * _random());
        if (failure.RetryAfter is { } retryAfter)
        {
            // Waiting longer than our own cap is the caller's decision: hand them Retry-After instead.
            if (retryAfter > MaxDelay)
            {
                return null;
            }
            wait = retryAfter > wait ? retryAfter : wait;
        }
        if (deadline is { } end && Time.GetUtcNow() + wait >= end)
        {
            return null;
        }
        return wait;
    }

    public Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) => _delay(wait, cancellationToken);
}
