using System.Globalization;
using System.IO.Pipelines;
using BedrockLambdaProxy.LocalHost.Invocations;
using BedrockLambdaProxy.LocalHost.Workers;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.RuntimeApi;

/// <summary>
/// The Lambda Runtime API (2018-06-01) for one worker slot: long-polled /next, buffered and
/// streamed /response, /error and /init/error.
/// </summary>
internal sealed class RuntimeApiHandler
{
    private const string Prefix = "/2018-06-01/runtime/";
    private const int MaxBufferedPayload = 6 * 1024 * 1024;

    private readonly InvocationDispatcher _dispatcher;
    private readonly string _functionArn;
    private readonly Action<string> _log;

    public RuntimeApiHandler(InvocationDispatcher dispatcher, string functionArn, Action<string> log)
    {
        _dispatcher = dispatcher;
        _functionArn = functionArn;
        _log = log;
    }

    public Task HandleAsync(HttpContext context, WorkerSlot slot)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var method = context.Request.Method;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return RuntimeApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "NotFound", "unknown Runtime API path");
        }

        var rest = path[Prefix.Length..];
        if (rest == "invocation/next" && HttpMethods.IsGet(method))
        {
            slot.NotePoll();
            return NextAsync(context, slot);
        }

        if (rest == "init/error" && HttpMethods.IsPost(method))
        {
            return InitErrorAsync(context, slot);
        }

        var parts = rest.Split('/');
        if (parts.Length == 3 && parts[0] == "invocation" && HttpMethods.IsPost(method))
        {
            var invocation = _dispatcher.Find(parts[1]);
            if (invocation is null || invocation.Worker != slot.Index || invocation.IsFinished)
            {
                return RuntimeApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID", "unknown or already answered request id");
            }

            switch (parts[2])
            {
                case "response":
                    return ResponseAsync(context, slot, invocation);
                case "error":
                    return InvocationErrorAsync(context, slot, invocation);
            }
        }

        return RuntimeApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "NotFound", "unknown Runtime API path");
    }

    private async Task NextAsync(HttpContext context, WorkerSlot slot)
    {
        int generation = slot.Generation;
        if (slot.Current is { IsFinished: false } abandoned)
        {
            // Asking for the next event means the runtime is done with the last one.
            abandoned.Fail(new WorkerFailedResult("the runtime asked for the next event without answering this one"));
        }

        slot.Current = null;
        slot.Holding?.MarkReleased();
        slot.Holding = null;
        PendingInvocation invocation;
        try
        {
            invocation = await _dispatcher.NextAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // A poll left over from a process that has since been killed (the slot was recycled before the emulator saw
        // its connection drop) must not take the work meant for the process that replaced it.
        if (context.RequestAborted.IsCancellationRequested || slot.Generation != generation)
        {
            _dispatcher.Requeue(invocation);
            return;
        }

        _dispatcher.Assign(invocation, slot.Index);
        slot.Current = invocation;
        slot.Holding = invocation;
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = _functionArn;
        response.Headers["Lambda-Runtime-Trace-Id"] = TraceId(invocation);
        response.ContentLength = invocation.Payload.Length;
        await response.Body.WriteAsync(invocation.Payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ResponseAsync(HttpContext context, WorkerSlot slot, PendingInvocation invocation)
    {
        var streaming = string.Equals(
            context.Request.Headers["Lambda-Runtime-Function-Response-Mode"], "streaming", StringComparison.OrdinalIgnoreCase);
        if (!streaming)
        {
            var payload = await RequestBody.ReadAllAsync(context.Request, MaxBufferedPayload + 1, context.RequestAborted).ConfigureAwait(false);
            if (payload.Length > MaxBufferedPayload)
            {
                invocation.Fail(new FunctionErrorResult("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes)."));
                await RuntimeApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", "buffered payload over 6 MB").ConfigureAwait(false);
                return;
            }

            invocation.TrySetResult(new BufferedResult(payload));
            FinishInvocation(slot, invocation);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        await RelayStreamAsync(context, slot, invocation).ConfigureAwait(false);
    }

    private async Task RelayStreamAsync(HttpContext context, WorkerSlot slot, PendingInvocation invocation)
    {
        // The front reads this pipe while the function is still writing: nothing is buffered
        // beyond what one chunk brings.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        var end = new TaskCompletionSource<StreamEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!invocation.TrySetResult(new StreamedResult(context.Request.ContentType, pipe.Reader, end.Task)))
        {
            await RuntimeApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "InvalidStateTransition", "the invocation already ended").ConfigureAwait(false);
            return;
        }

        var body = context.Request.Body;
        try
        {
            while (true)
            {
                var memory = pipe.Writer.GetMemory(16 * 1024);
                var read = await body.ReadAsync(memory, context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                pipe.Writer.Advance(read);
                var flushed = await pipe.Writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    // The front stopped reading (client gone); keep draining so the function can finish.
                    await body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException or BadHttpRequestException)
        {
            // The worker died or was reset mid-stream: the client must see a cut, not an end.
            await pipe.Writer.CompleteAsync(new IOException("the function's stream was cut off", ex)).ConfigureAwait(false);
            end.TrySetResult(new StreamEnd(null, null, Truncated: true));
            invocation.MarkFinished();
            return;
        }

        string? errorType = null;
        string? errorBody = null;
        if (context.Request.CheckTrailersAvailable())
        {
            errorType = NullIfEmpty(context.Request.GetTrailer("Lambda-Runtime-Function-Error-Type"));
            errorBody = DecodeBase64(NullIfEmpty(context.Request.GetTrailer("Lambda-Runtime-Function-Error-Body")));
        }

        if (errorType is not null)
        {
            _log($"invocation {invocation.RequestId}: stream ended with error {errorType}: {errorBody}");
        }

        await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        end.TrySetResult(new StreamEnd(errorType, errorBody, Truncated: false));
        FinishInvocation(slot, invocation);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task InvocationErrorAsync(HttpContext context, WorkerSlot slot, PendingInvocation invocation)
    {
        var body = await RequestBody.ReadAllAsync(context.Request, MaxBufferedPayload, context.RequestAborted).ConfigureAwait(false);
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        var text = System.Text.Encoding.UTF8.GetString(body);
        _log($"invocation {invocation.RequestId}: function error {errorType}: {text}");
        invocation.Fail(new FunctionErrorResult(string.IsNullOrEmpty(errorType) ? "Unhandled" : errorType, text));
        FinishInvocation(slot, invocation);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task InitErrorAsync(HttpContext context, WorkerSlot slot)
    {
        var body = await RequestBody.ReadAllAsync(context.Request, MaxBufferedPayload, context.RequestAborted).ConfigureAwait(false);
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        _log($"worker {slot.Index}: init error {errorType}: {System.Text.Encoding.UTF8.GetString(body)}");
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await context.Response.CompleteAsync().ConfigureAwait(false);

        // Lambda discards a sandbox whose init failed; the next attempt starts from scratch.
        slot.Reset("init error");
    }

    private static void FinishInvocation(WorkerSlot slot, PendingInvocation invocation)
    {
        invocation.MarkFinished();
        if (ReferenceEquals(slot.Current, invocation))
        {
            slot.Current = null;
        }
    }

    private static string TraceId(PendingInvocation invocation)
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        var random = invocation.RequestId.Replace("-", string.Empty, StringComparison.Ordinal)[..24];
        return $"Root=1-{epoch}-{random};Parent={random[..16]};Sampled=0";
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? DecodeBase64(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }
}
