using BedrockLambdaProxy.LocalHost.Invocations;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>The Function URL emulator (InvokeMode RESPONSE_STREAM): payload 2.0 events, streamed answers relayed live.</summary>
internal sealed class FunctionUrlFront
{
    private const int MaxRequestBody = 6 * 1024 * 1024;

    private readonly InvocationDispatcher _dispatcher;
    private readonly Action<string> _log;

    public FunctionUrlFront(InvocationDispatcher dispatcher, Action<string> log)
    {
        _dispatcher = dispatcher;
        _log = log;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var body = await RequestBody.ReadAllAsync(context.Request, MaxRequestBody + 1, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > MaxRequestBody)
        {
            await FrontResponses.WriteMessageAsync(context, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large").ConfigureAwait(false);
            return;
        }

        var eventId = Guid.NewGuid().ToString();
        var invocation = _dispatcher.Enqueue(FunctionUrlEvent.Build(context, body, eventId, now));
        context.Response.Headers["x-amzn-RequestId"] = invocation.RequestId;
        context.Response.Headers["X-Amzn-Trace-Id"] = TraceHeader.For(invocation.RequestId, now);
        var result = await invocation.Result.ConfigureAwait(false);
        switch (result)
        {
            case BufferedResult buffered:
                await FrontResponses.WriteFunctionUrlAsync(context, buffered.Payload).ConfigureAwait(false);
                break;
            case StreamedResult streamed:
                if (!await StreamedResponseRelay.RelayAsync(context, streamed, _log).ConfigureAwait(false))
                {
                    await InternalErrorAsync(context).ConfigureAwait(false);
                }

                break;
            default:
                await InternalErrorAsync(context).ConfigureAwait(false);
                break;
        }
    }

    // Function errors, timeouts and crashed sandboxes all reach a Function URL client as this 502.
    private static Task InternalErrorAsync(HttpContext context) =>
        FrontResponses.WriteMessageAsync(context, StatusCodes.Status502BadGateway, "Internal Server Error");
}
