using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// One streamed Bedrock call (ConverseStream, InvokeModelWithResponseStream) delivered as SSE
/// (streaming fronts) or as a chunk array (buffered fronts). Each upstream event is written as
/// soon as it is decoded, and flushed unless the next one is already in the read buffer; upstream failures, the caller going away and the deadline are kept
/// apart, because each ends the answer differently and is billed differently.
/// </summary>
internal sealed class StreamExchange(BedrockClient bedrock, TimeProvider time)
{
    public Task<CallOutcome> RunAsync(RequestContext context, BedrockCall call, ErrorStyle style) =>
        RunAsync(context, call, style, format: null);

    /// <param name="format">Translates the events into another format (OpenAI chunks); null relays them as they are.</param>
    public async Task<CallOutcome> RunAsync(
        RequestContext context,
        BedrockCall call,
        ErrorStyle style,
        IStreamFormat? format)
    {
        BedrockEventStream stream;
        try
        {
            stream = await context.Admission.CallAsync(
                ct => bedrock.OpenStreamAsync(call.Operation, call.ModelId, call.Body, call.Headers, UnaryExchange.RetryDeadline(context), ct),
                context.Cancellation).ConfigureAwait(false);
        }
        catch (BedrockException ex)
        {
            return await BedrockFailure.AnswerAsync(context, ex, style, context.Admission.Headers).ConfigureAwait(false);
        }
        context.BedrockRoute = stream.Route;
        context.BedrockRequestId = stream.Headers.Get(BedrockResponseHeaders.RequestId);
        // From here Bedrock may charge the call: every ending bills at least the input estimate.
        var usage = new StreamUsageTracker(time, context.StartTimestamp, () => call.InputTokenEstimate);
        context.Usage = usage;

        await using (stream.ConfigureAwait(false))
        {
            IStreamEventSink sink = await OpenSinkAsync(context, stream, context.Admission.Headers, style, format).ConfigureAwait(false);
            try
            {
                return await RelayAsync(context, call, stream, sink, usage).ConfigureAwait(false);
            }
            finally
            {
                (sink as IDisposable)?.Dispose();
            }
        }
    }

    private static async Task<CallOutcome> RelayAsync(
        RequestContext context, BedrockCall call, BedrockEventStream stream, IStreamEventSink sink, StreamUsageTracker usage)
    {
        bool converse = call.Operation == BedrockOperation.ConverseStream;
        // InvokeModel chunks are decoded into one buffer reused for every chunk: each sink copies (or
        // parses and clones) what it keeps before the next chunk is read.
        ArrayBufferWriter<byte>? decoded = converse ? null : new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            BedrockStreamEvent? upstream;
            try
            {
                upstream = await stream.ReadNextAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                var timeout = new ApiError(504, "DeadlineExceeded", "The proxy's time limit ran out before Bedrock finished the answer.");
                await FailQuietlyAsync(sink, timeout).ConfigureAwait(false);
                return Outcome(context, timeout, usage);
            }
            catch (BedrockStreamException)
            {
                var broken = new ApiError(502, "ModelStreamErrorException", "The stream from Amazon Bedrock broke before it ended.");
                await FailQuietlyAsync(sink, broken).ConfigureAwait(false);
                return Outcome(context, broken, usage);
            }

            if (upstream is null)
            {
                try
                {
                    await sink.CompleteAsync(context.Cancellation).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsCallerGone(ex, context))
                {
                    // The last events leave with the end when they all arrived together.
                    return usage.Outcome(200, "ClientCancelled");
                }
                return usage.Outcome(200, null);
            }
            if (upstream.MessageType != BedrockStreamMessageType.Event)
            {
                ApiError failure = StreamExceptionError(upstream);
                await FailQuietlyAsync(sink, failure).ConfigureAwait(false);
                return Outcome(context, failure, usage);
            }

            string? name;
            ReadOnlyMemory<byte> json;
            bool plainText = false;
            Range text = default;
            if (converse)
            {
                name = upstream.EventType;
                json = upstream.Payload;
                plainText = usage.ObserveConverse(name, json.Span, out text);
            }
            else
            {
                name = null;
                decoded!.ResetWrittenCount();
                json = BedrockUsageReader.DecodeChunk(upstream.Payload.Span, decoded) >= 0 ? decoded.WrittenMemory : upstream.Payload;
                plainText = usage.ObserveInvokeChunk(json.Span, out text);
            }

            try
            {
                // Flushed unless the next event has already arrived: then both leave in one write,
                // and nothing is ever held while the relay waits on Bedrock.
                bool flush = !stream.NextFrameArrived(context.Cancellation);
                await (plainText
                    ? sink.WriteTextDeltaAsync(name, json, text, flush, context.Cancellation)
                    : sink.WriteEventAsync(name, json, flush, context.Cancellation)).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsCallerGone(ex, context))
            {
                // Leaving the using block disposes the upstream stream, which aborts the Bedrock
                // request: nobody pays for tokens nobody will read.
                return usage.Outcome(200, "ClientCancelled");
            }
        }
    }

    private static async Task<IStreamEventSink> OpenSinkAsync(
        RequestContext context,
        BedrockEventStream stream,
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders,
        ErrorStyle style,
        IStreamFormat? format)
    {
        var headers = new List<KeyValuePair<string, string>>(extraHeaders.Count + 4);
        string? requestId = stream.Headers.Get(BedrockResponseHeaders.RequestId);
        if (requestId is not null)
        {
            headers.Add(new(BedrockResponseHeaders.RequestId, requestId));
        }
        headers.AddRange(extraHeaders);
        if (context.Response.Delivery == DeliveryMode.Buffered)
        {
            headers.Insert(0, new("content-type", "application/json"));
            return format?.Buffered(context.Response, headers) ?? new ChunkArraySink(context.Response, headers);
        }
        headers.Insert(0, new("content-type", SseEventSink.ContentType));
        headers.Add(new("cache-control", "no-cache"));
        var body = await context.Response.StartStreamAsync(200, headers, context.Cancellation).ConfigureAwait(false);
        var sse = new SseEventSink(body, style);
        return format?.Streamed(sse) ?? sse;
    }

    /// <summary>Turns an exception frame (<c>:exception-type</c> throttlingException, …) into the error the caller sees.</summary>
    internal static ApiError StreamExceptionError(BedrockStreamEvent upstream)
    {
        string raw = upstream.ExceptionType ?? upstream.EventType ?? "internalServerException";
        string type = raw.Length > 0 ? char.ToUpperInvariant(raw[0]) + raw[1..] : "InternalServerException";
        string message = "Amazon Bedrock failed while streaming.";
        try
        {
            using JsonDocument payload = JsonDocument.Parse(upstream.Payload);
            if (payload.RootElement.ValueKind == JsonValueKind.Object
                && (payload.RootElement.TryGetProperty("message", out JsonElement m) || payload.RootElement.TryGetProperty("Message", out m))
                && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Keep the generic message: the frame's type already says what failed.
        }
        int status = type switch
        {
            "ThrottlingException" or "ServiceQuotaExceededException" => 429,
            "ValidationException" => 400,
            "ModelTimeoutException" => 504,
            "ServiceUnavailableException" => 503,
            _ => 502,
        };
        return new ApiError(status, type, message);
    }

    // A buffered front has sent nothing yet, so the failure's own status is still honest;
    // a stream has already said 200.
    private static CallOutcome Outcome(RequestContext context, ApiError error, StreamUsageTracker usage) =>
        usage.Outcome(context.Response.Delivery == DeliveryMode.Buffered ? error.StatusCode : 200, error.Type);

    private static async Task FailQuietlyAsync(IStreamEventSink sink, ApiError error)
    {
        try
        {
            await sink.FailAsync(error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (CallerGone.Is(ex))
        {
            // The caller is already gone; the failure is still recorded in the usage record.
        }
    }

    private static bool IsCallerGone(Exception ex, RequestContext context) =>
        CallerGone.Is(ex) || (ex is OperationCanceledException && context.Cancellation.IsCancellationRequested);
}
