using BedrockLambdaProxy.LocalHost.Invocations;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>
/// The API Gateway REST emulator: one stage with "/" and "/{proxy+}" on a buffered Lambda proxy
/// integration, and "/stream/{proxy+}" with responseTransferMode STREAM. Both send the same
/// payload 1.0 event; only the expected answer (and the timeout) differ.
/// </summary>
internal sealed class ApiGatewayFront
{
    private const int MaxRequestBody = 10 * 1024 * 1024;
    private const string StreamPrefix = "/stream/";

    private readonly InvocationDispatcher _dispatcher;
    private readonly string _stage;
    private readonly TimeSpan _integrationTimeout;
    private readonly Action<string> _log;

    public ApiGatewayFront(InvocationDispatcher dispatcher, string stage, TimeSpan integrationTimeout, Action<string> log)
    {
        _dispatcher = dispatcher;
        _stage = stage;
        _integrationTimeout = integrationTimeout;
        _log = log;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.Headers["x-amz-apigw-id"] = requestId[..8] + "=";
        var fullPath = context.Request.Path.Value ?? "/";
        var stagePrefix = "/" + _stage;
        if (!(fullPath == stagePrefix || fullPath.StartsWith(stagePrefix + "/", StringComparison.Ordinal)))
        {
            // An unknown stage is not routed to any integration.
            await FrontResponses.WriteMessageAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "ForbiddenException").ConfigureAwait(false);
            return;
        }

        var path = fullPath.Length <= stagePrefix.Length + 1 ? "/" : fullPath[stagePrefix.Length..];
        var streaming = path.StartsWith(StreamPrefix, StringComparison.Ordinal) && path.Length > StreamPrefix.Length;
        var (resource, proxy) = path == "/" ? ("/", null)
            : streaming ? ("/stream/{proxy+}", path[StreamPrefix.Length..])
            : ("/{proxy+}", path[1..]);

        var body = await RequestBody.ReadAllAsync(context.Request, MaxRequestBody + 1, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > MaxRequestBody)
        {
            await FrontResponses.WriteMessageAsync(context, StatusCodes.Status413PayloadTooLarge, "Request Too Long").ConfigureAwait(false);
            return;
        }

        var invocation = _dispatcher.Enqueue(ApiGatewayEvent.Build(context, body, _stage, resource, path, proxy, requestId, now));
        context.Response.Headers["X-Amzn-Trace-Id"] = TraceHeader.For(invocation.RequestId, now);

        // Buffered integrations give up after 29 s while the function runs on; STREAM mode is not
        // bound by that limit (streams last up to 15 minutes), only by the function's own timeout.
        var integrationLimit = streaming ? Timeout.InfiniteTimeSpan : _integrationTimeout;
        var first = await Task.WhenAny(invocation.Result, Task.Delay(integrationLimit)).ConfigureAwait(false);
        if (first != invocation.Result)
        {
            _log($"API Gateway {requestId}: integration timed out after {_integrationTimeout.TotalSeconds:0} s");
            await TimedOutAsync(context).ConfigureAwait(false);
            return;
        }

        switch (await invocation.Result.ConfigureAwait(false))
        {
            case BufferedResult buffered:
                await FrontResponses.WriteApiGatewayAsync(context, buffered.Payload, _log).ConfigureAwait(false);
                break;
            case StreamedResult streamed:
                if (!await StreamedResponseRelay.RelayAsync(context, streamed, _log).ConfigureAwait(false))
                {
                    await InternalErrorAsync(context).ConfigureAwait(false);
                }

                break;
            case TimedOutResult:
                await TimedOutAsync(context).ConfigureAwait(false);
                break;
            default:
                await InternalErrorAsync(context).ConfigureAwait(false);
                break;
        }
    }

    private static Task TimedOutAsync(HttpContext context) =>
        FrontResponses.WriteMessageAsync(context, StatusCodes.Status504GatewayTimeout, "Endpoint request timed out");

    private static Task InternalErrorAsync(HttpContext context) =>
        FrontResponses.WriteMessageAsync(context, StatusCodes.Status502BadGateway, "Internal server error", "InternalServerErrorException");
}
