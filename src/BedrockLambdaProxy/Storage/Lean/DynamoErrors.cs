using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// DynamoDB's error answers as the SDK's exception types (what every caller already catches), and which
/// of them the SDK's standard retry mode tries again: its throttling codes, its transient codes and
/// 500/502/503/504. A failed condition, a validation or access error is answered at once.
/// </summary>
internal static class DynamoErrors
{
    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        // The SDK's throttling codes (standard mode), then its transient ones.
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
    };

    /// <summary>Whether the SDK would try a request again after this answer.</summary>
    public static bool IsRetryable(string? code, int status) =>
        (code is not null && RetryableCodes.Contains(code)) || status is 500 or 502 or 503 or 504;

    /// <summary>The exception for an answer with a status other than 200.</summary>
    public static AmazonDynamoDBException FromAnswer(int status, DynamoErrorBody body, string? requestId)
    {
        string code = body.Code ?? (status >= 500 ? "InternalServerError" : "UnknownError");
        string message = body.Message ?? $"DynamoDB answered HTTP {status}.";
        ErrorType type = status >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        var statusCode = (HttpStatusCode)status;
        return code switch
        {
            "ConditionalCheckFailedException" => new ConditionalCheckFailedException(message, null, type, code, requestId, statusCode)
            {
                Item = body.Item,
            },
            "ProvisionedThroughputExceededException" => new ProvisionedThroughputExceededException(message, null, type, code, requestId, statusCode),
            "ThrottlingException" => new ThrottlingException(message, null, type, code, requestId, statusCode),
            "RequestLimitExceeded" => new RequestLimitExceededException(message, null, type, code, requestId, statusCode),
            "ResourceNotFoundException" => new ResourceNotFoundException(message, null, type, code, requestId, statusCode),
            "InternalServerError" => new InternalServerErrorException(message, null, type, code, requestId, statusCode),
            "ItemCollectionSizeLimitExceededException" => new ItemCollectionSizeLimitExceededException(message, null, type, code, requestId, statusCode),
            "TransactionConflictException" => new TransactionConflictException(message, null, type, code, requestId, statusCode),
            "LimitExceededException" => new LimitExceededException(message, null, type, code, requestId, statusCode),
            // ValidationException, AccessDeniedException, UnrecognizedClientException, …: the SDK has no type of its own for these.
            _ => new AmazonDynamoDBException(message, null, type, code, requestId, statusCode),
        };
    }
}
