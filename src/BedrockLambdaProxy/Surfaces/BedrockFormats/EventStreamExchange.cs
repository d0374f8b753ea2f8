using System.Buffers;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.BedrockFormats;

/// <summary>
/// A Bedrock-native stream (<c>/converse-stream</c>, <c>/invoke-with-response-stream</c>): the upstream
/// <c>application/vnd.amazon.eventstream</c> frames go to the caller byte for byte as they arrive
/// (frames that arrived together in one write), decoded alongside only to read usage and errors. A buffered front gets the whole stream as one
/// binary body, which an SDK parses the same way.
/// </summary>
internal sealed class EventStreamExchange(BedrockClient bedrock, TimeProvider time)
{
    public const string ContentType = "application/vnd.amazon.eventstream";

    public async Task<CallOutcome> RunAsync(RequestContext context, BedrockCall call)
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
            return await BedrockFailure.AnswerAsync(context, ex, ErrorStyle.Aws, context.Admission.Headers).ConfigureAwait(false);
        }
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders = context.Admission.Headers;
        context.BedrockRoute = stream.Route;
        context.BedrockRequestId = stream.Headers.Get(BedrockResponseHeaders.RequestId);
        // From here Bedrock may charge the call: every ending bills at least the input estimate.
        var usage = new StreamUsageTracker(time, context.StartTimestamp, () => call.InputTokenEstimate);
        context.Usage = usage;

        await using (stream.ConfigureAwait(false))
        {
            var headers = new List<KeyValuePair<string, string>>(stream.Headers.All.Count + extraHeaders.Count + 1);
            headers.AddRange(stream.Headers.All);
            if (stream.Headers.Get(BedrockResponseHeaders.ContentType) is null)
            {
                headers.Add(new("Content-Type", ContentType));
            }
            headers.AddRange(extraHeaders);
            return context.Response.Delivery == DeliveryMode.Streamed
                ? await RelayAsync(context, call, stream, headers, usage).ConfigureAwait(false)
                : await CollectAsync(context, call, stream, headers, usage).ConfigureAwait(false);
        }
    }

    private static async Task<CallOutcome> RelayAsync(
        RequestContext context, BedrockCall call, BedrockEventStream stream, IReadOnlyList<KeyValuePair<string, string>> headers, StreamUsageTracker usage)
    {
        IStreamedBody body = await context.Response.StartStreamAsync(200, headers, context.Cancellation).ConfigureAwait(false);
        var decoded = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            BedrockStreamEvent? upstream;
            (byte[] Frame, string Type)? synthesized = null;
            try
            {
                upstream = await stream.ReadNextAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                upstream = null;
                synthesized = (ExceptionFrame.Encode("internalServerException", "The proxy's time limit ran out before Bedrock finished the answer."), "DeadlineExceeded");
            }
            catch (BedrockStreamException)
            {
                upstream = null;
                synthesized = (ExceptionFrame.Encode("modelStreamErrorException", "The stream from Amazon Bedrock broke before it ended."), "ModelStreamErrorException");
            }

            if (synthesized is (byte[] frame, string type))
            {
                await EndWithExceptionAsync(body, frame, type, "The stream did not complete.").ConfigureAwait(false);
                return usage.Outcome(200, type);
            }
            if (upstream is null)
            {
                try
                {
                    await body.CompleteAsync(context.Cancellation).ConfigureAwait(false);
                }
                catch (Exception ex) when (CallerGone.Is(ex))
                {
                    // The last frames leave with the end when they all arrived together.
                    return usage.Outcome(200, "ClientCancelled");
                }
                return usage.Outcome(200, null);
            }

            Observe(call, upstream, usage, decoded);
            try
            {
                // Flushed unless the next frame has already arrived (then they leave in one write):
                // nothing is held while the relay waits on Bedrock.
                await body.WriteAsync(upstream.RawFrame, flush: !stream.NextFrameArrived(context.Cancellation), context.Cancellation).ConfigureAwait(false);
            }
            catch (Exception ex) when (CallerGone.Is(ex))
            {
                return usage.Outcome(200, "ClientCancelled");
            }
            if (upstream.MessageType != BedrockStreamMessageType.Event)
            {
                // Bedrock's own exception frame already reached the caller and ends the stream.
                ApiError failure = StreamExchange.StreamExceptionError(upstream);
                await EndWithExceptionAsync(body, null, failure.Type, failure.Message).ConfigureAwait(false);
                return usage.Outcome(200, failure.Type);
            }
        }
    }

    private static async Task<CallOutcome> CollectAsync(
        RequestContext context, BedrockCall call, BedrockEventStream stream, IReadOnlyList<KeyValuePair<string, string>> headers, StreamUsageTracker usage)
    {
        var collected = new ArrayBufferWriter<byte>(16 * 1024);
        var decoded = new ArrayBufferWriter<byte>(4096);
        // Past the buffered front's limit the frames are no longer kept (memory stays bounded
        // whatever the answer's size), but the stream is still read to its end for Bedrock's counts.
        bool tooLarge = false;
        string? errorType = null;
        while (true)
        {
            BedrockStreamEvent? upstream;
            try
            {
                upstream = await stream.ReadNextAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BedrockStreamException
                || (ex is OperationCanceledException && context.Cancellation.IsCancellationRequested))
            {
                // Nothing was sent yet, but an SDK reads the stream, not the status: end it with an
                // exception frame it turns into its typed exception.
                errorType = "ModelStreamErrorException";
                collected.Write(ExceptionFrame.Encode("modelStreamErrorException", "The stream from Amazon Bedrock broke before it ended."));
                break;
            }
            if (upstream is null)
            {
                break;
            }
            Observe(call, upstream, usage, decoded);
            tooLarge = tooLarge || collected.WrittenCount + upstream.RawFrame.Length > HttpResponseChannel.BufferedLimitBytes;
            if (!tooLarge)
            {
                collected.Write(upstream.RawFrame.Span);
            }
            if (upstream.MessageType != BedrockStreamMessageType.Event)
            {
                errorType = StreamExchange.StreamExceptionError(upstream).Type;
                break;
            }
        }
        await (tooLarge
            ? context.Response.SendTooLargeAsync(context.Cancellation)
            : context.Response.SendAsync(new ProxyResponse(200, headers, collected.WrittenMemory), context.Cancellation)).ConfigureAwait(false);
        return usage.Outcome(200, errorType);
    }

    /// <param name="decoded">Reused for every InvokeModel chunk's decoded JSON, which is only read here.</param>
    private static void Observe(BedrockCall call, BedrockStreamEvent upstream, StreamUsageTracker usage, ArrayBufferWriter<byte> decoded)
    {
        if (upstream.MessageType != BedrockStreamMessageType.Event)
        {
            return;
        }
        if (call.Operation == BedrockOperation.ConverseStream)
        {
            usage.ObserveConverse(upstream.EventType, upstream.Payload.Span);
        }
        else
        {
            decoded.ResetWrittenCount();
            if (BedrockUsageReader.DecodeChunk(upstream.Payload.Span, decoded) >= 0)
            {
                usage.ObserveInvokeChunk(decoded.WrittenSpan);
            }
        }
    }

    /// <summary>
    /// Ends an event stream whose last frame is an exception (Bedrock's, or <paramref name="frame"/>
    /// written here) the way Bedrock does: with the normal end of the body. The exception frame is
    /// the protocol's own terminal message and every event-stream client raises it as a typed
    /// exception, so the stream cannot look complete. Error trailers would make a front reset the
    /// connection, and a client that has not yet read the frame loses it to the reset (the AWS SDK
    /// for JavaScript then throws a bare "aborted" instead of ModelStreamErrorException). Only when
    /// the frame could not be written do the trailers report the failure.
    /// </summary>
    private static async Task EndWithExceptionAsync(IStreamedBody body, byte[]? frame, string type, string message)
    {
        try
        {
            if (frame is not null)
            {
                await body.WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
            }
            await body.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (CallerGone.Is(ex))
        {
            // The frame did not leave; the trailers below still tell the runtime.
        }
        await body.FailAsync(type, message, CancellationToken.None).ConfigureAwait(false);
    }
}
