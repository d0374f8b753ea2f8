using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>Answers a Bedrock failure that happened before the first byte, in the surface's error style.</summary>
internal static class BedrockFailure
{
    public static ApiError ToApiError(BedrockException exception, IReadOnlyList<KeyValuePair<string, string>> extraHeaders)
    {
        BedrockProxyError mapped = BedrockErrorMapping.ToProxyStatus(exception);
        return new ApiError(mapped.StatusCode, mapped.ErrorType, mapped.Message)
        {
            RetryAfterSeconds = mapped.RetryAfterSeconds,
            ExtraHeaders = extraHeaders,
        };
    }

    public static async Task<CallOutcome> AnswerAsync(
        RequestContext context, BedrockException exception, ErrorStyle style, IReadOnlyList<KeyValuePair<string, string>> extraHeaders)
    {
        ApiError error = ToApiError(exception, extraHeaders);
        context.BedrockRoute = exception.Route;
        await context.Response.SendAsync(ErrorResponses.Render(error, style), context.Cancellation).ConfigureAwait(false);
        return new CallOutcome(error.StatusCode, error.Type, null, null);
    }
}
