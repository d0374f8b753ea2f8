namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Maps a Bedrock failure to the proxy's own status: the customer's mistakes stay 4xx with Bedrock's
/// message, capacity problems become 429/503 with Retry-After, and Bedrock's own faults become 502/504
/// so they are never confused with a bug in the proxy.
/// </summary>
internal static class BedrockErrorMapping
{
    /// <summary>Retry-After for throttling when Bedrock gave none: one backoff cap, long enough to matter.</summary>
    public const int DefaultRetryAfterSeconds = 1;

    /// <summary>The caller's answer for <paramref name="error"/>; Bedrock's message is passed on without the operator's ARNs or account id.</summary>
    public static BedrockProxyError ToProxyStatus(BedrockException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        BedrockProxyError mapped = Map(error);
        return mapped with { Message = AwsIdentifierScrubber.Scrub(mapped.Message) };
    }

    private static BedrockProxyError Map(BedrockException error)
    {
        int? retryAfter = error.RetryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : null;
        return error.ErrorType switch
        {
            "ValidationException" => new(400, error.ErrorType, error.Message, null),
            "ResourceNotFoundException" => new(404, error.ErrorType, error.Message, null),
            "AccessDeniedException" => new(403, error.ErrorType, AccessDeniedMessage(error), null),
            "ThrottlingException" or "ServiceQuotaExceededException" =>
                new(429, error.ErrorType, error.Message, retryAfter ?? DefaultRetryAfterSeconds),
            "ModelTimeoutException" => new(504, error.ErrorType, error.Message, null),
            "ModelNotReadyException" or "ServiceUnavailableException" =>
                new(503, error.ErrorType, error.Message, retryAfter ?? DefaultRetryAfterSeconds),
            BedrockException.NetworkErrorType =>
                new(502, "InternalServerException", "The proxy could not reach Amazon Bedrock. Try again.", null),
            BedrockException.StartTimeoutErrorType =>
                new(504, "ServiceUnavailableException", error.Message + " Try again.", null),
            BedrockException.CredentialsErrorType =>
                new(500, "InternalServerException", "The proxy is misconfigured: it has no AWS credentials for Amazon Bedrock.", null),
            _ when error.StatusCode is 429 => new(429, error.ErrorType, error.Message, retryAfter ?? DefaultRetryAfterSeconds),
            // Other client errors (ModelErrorException 424, ConflictException 409, …) keep Bedrock's status.
            _ when error.StatusCode is >= 400 and < 500 => new(error.StatusCode, error.ErrorType, error.Message, null),
            _ => new(502, error.ErrorType, error.Message, retryAfter),
        };
    }

    private static string AccessDeniedMessage(BedrockException error) =>
        $"The proxy's AWS role is not allowed to call Amazon Bedrock for model '{error.ModelId}': the Lambda "
        + $"function's IAM role needs {error.Operation.IamAction()} permission on this model (and on the inference "
        + "profile, if one is used). Bedrock said: " + error.Message;
}
