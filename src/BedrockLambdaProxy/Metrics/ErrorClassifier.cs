namespace BedrockLambdaProxy.Metrics;

/// <summary>
/// Sorts a finished call's outcome (the status the caller saw and the AWS-style error type the usage
/// record carries) into an <see cref="ErrorClass"/> and a <see cref="ThrottleSource"/>. Refusals the
/// pipeline makes itself (authentication, admission) are classified where they happen.
/// </summary>
internal static class ErrorClassifier
{
    public static (ErrorClass Error, ThrottleSource Throttle) FromOutcome(int httpStatus, string? errorType)
    {
        switch (errorType)
        {
            case null:
                return httpStatus >= 400 ? FromStatus(httpStatus) : (ErrorClass.None, ThrottleSource.None);
            case "ClientCancelled":
                // The caller left; what it had used is billed, nothing failed.
                return (ErrorClass.None, ThrottleSource.None);
            case "DeadlineExceeded":
                // The function's timeout is the operator's setting: a proxy-side problem to fix.
                return (ErrorClass.Proxy, ThrottleSource.None);
            case "ThrottlingException" or "ServiceQuotaExceededException":
                return (ErrorClass.Bedrock, ThrottleSource.Bedrock);
            case "AccessDeniedException":
                // From Bedrock this means the function's IAM role: nothing the caller can change.
                return (ErrorClass.Proxy, ThrottleSource.None);
            case "ValidationException" or "ResourceNotFoundException":
                return (ErrorClass.Client, ThrottleSource.None);
            default:
                return httpStatus is >= 400 and < 500 and not 429 and not 408
                    ? (ErrorClass.Client, ThrottleSource.None)
                    : httpStatus == 500
                        ? (ErrorClass.Proxy, ThrottleSource.None) // the proxy's own 500 (an exception, no credentials); Bedrock's 5xx become 502/503/504
                        : (ErrorClass.Bedrock, ThrottleSource.None);
        }
    }

    private static (ErrorClass, ThrottleSource) FromStatus(int status) => status switch
    {
        429 => (ErrorClass.Bedrock, ThrottleSource.Bedrock),
        500 => (ErrorClass.Proxy, ThrottleSource.None),
        >= 500 or 408 => (ErrorClass.Bedrock, ThrottleSource.None),
        _ => (ErrorClass.Client, ThrottleSource.None),
    };
}
