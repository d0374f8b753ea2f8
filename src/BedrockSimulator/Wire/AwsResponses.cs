using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Wire;

/// <summary>Writes AWS JSON error responses and the headers every Bedrock response carries.</summary>
internal static class AwsResponses
{
    /// <summary>Bedrock's errors name their Coral namespace after the type; the SDKs keep the part before ':'.</summary>
    private const string BedrockNamespace = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private const string CoralServiceNamespace = ":http://internal.amazon.com/coral/com.amazon.coral.service/";

    public const string RequestIdHeader = "x-amzn-RequestId";

    public static void AddRequestId(HttpContext context, string requestId) =>
        context.Response.Headers[RequestIdHeader] = requestId;

    public static Task WriteErrorAsync(HttpContext context, int status, string errorType, string message, CancellationToken ct)
    {
        var isAuthError = errorType is "InvalidSignatureException" or "UnrecognizedClientException"
            or "MissingAuthenticationTokenException" or "IncompleteSignatureException";
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = errorType + (isAuthError ? CoralServiceNamespace : BedrockNamespace);
        var body = JsonBytes.Message(message);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, ct).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext context, byte[] body, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, ct).AsTask();
    }
}
