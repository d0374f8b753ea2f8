using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// The function's handler: event → request → route → answer. Every failure the caller can fix
/// is a 4xx before the first byte; a failure of ours is a 500 before it, or a failed stream after.
/// Requests refused here (no route, body too large) and failures that escape a route get their
/// metrics line here; everything a route answers itself writes its own.
/// </summary>
internal sealed class ProxyFunction(EventAdapter adapter, Router router, int maxBodyBytes, TimeProvider time, JsonLog log, MetricsLog? metrics = null)
    : IInvocationHandler
{
    public async Task HandleAsync(Invocation invocation, IInvocationResponder responder, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        // A malformed event throws here and fails this invocation only (the runtime posts it to /error).
        ProxyRequest request = adapter.Parse(invocation.Payload);
        var channel = new HttpResponseChannel(responder, request.Delivery, invocation.RequestId);

        RouteMatch match = router.Match(request.Method, request.Path);
        if (match.Route is null)
        {
            ApiError error = match.IsMethodNotAllowed
                ? new ApiError(405, "MethodNotAllowed", $"{request.Method} is not allowed on {request.Path}; use {string.Join(", ", match.AllowedMethods)}.")
                {
                    ExtraHeaders = [new("allow", string.Join(", ", match.AllowedMethods))],
                }
                : new ApiError(404, "NotFound", $"No route for {request.Method} {request.Path}.");
            await channel.SendAsync(ErrorResponses.Render(error, match.Style), cancellationToken).ConfigureAwait(false);
            WriteMetrics(invocation, error.StatusCode, ErrorClass.Client, start);
            return;
        }
        if (request.Body.Length > maxBodyBytes)
        {
            var tooLarge = new ApiError(413, "RequestEntityTooLarge", $"The request body is {request.Body.Length} bytes; the limit is {maxBodyBytes}.");
            await channel.SendAsync(ErrorResponses.Render(tooLarge, match.Style), cancellationToken).ConfigureAwait(false);
            WriteMetrics(invocation, tooLarge.StatusCode, ErrorClass.Client, start);
            return;
        }

        var context = new RequestContext
        {
            Request = request,
            Response = channel,
            RequestId = invocation.RequestId,
            // Retries and failover plan against the caller's patience, not only the function's.
            Deadline = request.CallerGivesUpAt is { } givesUp && givesUp < invocation.Deadline ? givesUp : invocation.Deadline,
            InvocationDeadline = invocation.Deadline,
            RouteValues = match.Values,
            StartTimestamp = start,
            Cancellation = cancellationToken,
        };
        try
        {
            await match.Route.Handler(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!channel.HasStarted)
        {
            bool deadline = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            log.Error("request failed before the answer started", ex, json => Fields(json, invocation, request));
            ApiError error = deadline
                ? ApiError.DeadlineExceeded()
                : ApiError.Internal(invocation.RequestId);
            await channel.SendAsync(ErrorResponses.Render(error, match.Route.Style), CancellationToken.None).ConfigureAwait(false);
            // The function's deadline is the operator's setting, so both are the proxy's errors.
            WriteMetrics(invocation, error.StatusCode, ErrorClass.Proxy, start);
        }
    }

    private void WriteMetrics(Invocation invocation, int status, ErrorClass error, long start) =>
        metrics?.WriteRefusal(invocation.RequestId, status, error, time.GetElapsedTime(start).TotalMilliseconds);

    private static void Fields(Utf8JsonWriter json, Invocation invocation, ProxyRequest request)
    {
        json.WriteString("request_id", invocation.RequestId);
        json.WriteString("method", request.Method);
        json.WriteString("path", request.Path);
    }
}
