using System.Diagnostics;
using System.Net;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// What one streamed request looked like from the client: time to the first content event, to the end, and bytes;
/// through the proxy also the Lambda request id it named (x-request-id), under which the worker logs its resources.
/// </summary>
internal readonly record struct StreamTiming(double FirstContentMs, double TotalMs, long WireBytes, string? RequestId = null);

/// <summary>
/// Reads a streamed answer to its end and notes when the first complete <c>contentBlockDelta</c> event arrived:
/// through the proxy, the SSE event <c>event: contentBlockDelta</c> up to the blank line that ends it; directly
/// from the simulator, the event-stream frame with <c>:event-type contentBlockDelta</c>, CRC-checked.
/// </summary>
internal static class StreamProbe
{
    private static readonly byte[] DeltaEvent = "event: contentBlockDelta\n"u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Sends <paramref name="request"/> through the proxy; the clock starts just before the send.</summary>
    public static Task<StreamTiming> ProxySseAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken) =>
        ProxySseAsync(http, request, DeltaEvent, cancellationToken);

    /// <summary>As above; the first content event is the first one containing <paramref name="contentMarker"/>.</summary>
    public static Task<StreamTiming> ProxySseAsync(
        HttpClient http, HttpRequestMessage request, byte[] contentMarker, CancellationToken cancellationToken) =>
        ProxySseAsync(http, request, contentMarker, Done, cancellationToken);

    /// <summary>As above; a complete stream ends with <paramref name="end"/> (<c>[DONE]</c>, or Anthropic's message_stop event).</summary>
    public static async Task<StreamTiming> ProxySseAsync(
        HttpClient http, HttpRequestMessage request, byte[] contentMarker, byte[] end, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The proxy answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        // Only the bytes before the first delta are kept for searching: a messageStart event, a few hundred bytes.
        var head = new MemoryStream();
        double first = -1;
        long total = 0;
        var tail = new byte[end.Length];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (first < 0)
            {
                head.Write(buffer, 0, read);
                var seen = head.GetBuffer().AsSpan(0, (int)head.Length);
                var at = seen.IndexOf(contentMarker);
                if (at >= 0 && seen[(at + contentMarker.Length)..].IndexOf(EventEnd) >= 0)
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }

            KeepTail(tail, buffer.AsSpan(0, read));
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (first < 0 || !tail.AsSpan().SequenceEqual(end))
        {
            throw new InvalidOperationException("The SSE stream had no content event or did not end as a complete stream does.");
        }

        return new StreamTiming(first, elapsed, total, RequestIdOf(response));
    }

    /// <summary>
    /// Sends a Bedrock-native <c>/model/{id}/converse-stream</c> request through the proxy and reads the
    /// event-stream frames it passes through (CRC-checked, as an SDK would); the clock starts just before the send.
    /// </summary>
    public static async Task<StreamTiming> ProxyEventStreamAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The proxy answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = new BedrockEventStream(null, body, BedrockResponseHeaders.Empty);
        var timing = await ReadFramesAsync(stream, started, cancellationToken).ConfigureAwait(false);
        return timing with { RequestId = RequestIdOf(response) };
    }

    /// <summary>Calls ConverseStream on the simulator with the function's own client; the clock starts before signing.</summary>
    public static async Task<StreamTiming> DirectAsync(BedrockClient client, string modelId, byte[] body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, modelId, body, BedrockRequestHeaders.Empty, cancellationToken).ConfigureAwait(false);
        return await ReadFramesAsync(stream, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls InvokeModelWithResponseStream on the simulator with the function's own client; the first content frame is
    /// the first chunk whose decoded model JSON is an Anthropic <c>content_block_delta</c>.
    /// </summary>
    public static async Task<StreamTiming> DirectInvokeAsync(BedrockClient client, string modelId, byte[] body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var stream = await client.OpenStreamAsync(
            BedrockOperation.InvokeModelWithResponseStream, modelId, body, BedrockRequestHeaders.Empty with { ContentType = "application/json" },
            cancellationToken).ConfigureAwait(false);
        return await ReadFramesAsync(stream, started, cancellationToken,
            frame => BedrockLambdaProxy.Usage.BedrockUsageReader.DecodeChunk(frame.Payload.Span) is { } json
                && json.AsSpan().IndexOf("\"content_block_delta\""u8) >= 0).ConfigureAwait(false);
    }

    /// <summary>Reads event-stream frames to the end, noting when the first contentBlockDelta frame arrived.</summary>
    private static Task<StreamTiming> ReadFramesAsync(BedrockEventStream stream, long started, CancellationToken cancellationToken) =>
        ReadFramesAsync(stream, started, cancellationToken, frame => frame.EventType == "contentBlockDelta");

    private static async Task<StreamTiming> ReadFramesAsync(
        BedrockEventStream stream, long started, CancellationToken cancellationToken, Func<BedrockStreamEvent, bool> isContent)
    {
        double first = -1;
        long total = 0;
        while (await stream.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            total += frame.RawFrame.Length;
            if (frame.MessageType != BedrockStreamMessageType.Event)
            {
                throw new InvalidOperationException($"The stream carried {frame.ExceptionType}.");
            }

            if (first < 0 && isContent(frame))
            {
                first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return first < 0 ? throw new InvalidOperationException("No contentBlockDelta frame.") : new StreamTiming(first, elapsed, total);
    }

    private static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;

    private static void KeepTail(byte[] tail, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return;
        }

        tail.AsSpan(chunk.Length).CopyTo(tail);
        chunk.CopyTo(tail.AsSpan(tail.Length - chunk.Length));
    }
}
