using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Events;

/// <summary>
/// Where one request's answer goes: wraps the runtime responder with the envelope the front
/// expects (a streamed http-integration-response, or a buffered JSON envelope). A buffered answer
/// larger than Lambda accepts is replaced, before anything is sent, by a
/// <see cref="ApiError.ResponseTooLarge"/> error in the route's <paramref name="errorStyle"/>.
/// </summary>
internal sealed class HttpResponseChannel(
    IInvocationResponder responder, DeliveryMode delivery, string? requestId = null, ErrorStyle errorStyle = ErrorStyle.Proxy)
{
    /// <summary>
    /// The largest buffered response Lambda returns: "For synchronous invocations, the maximum
    /// payload size is 6 MB" (Lambda API reference, Invoke; and Lambda quotas, "Invocation payload
    /// (request and response)"; read 2026-12-04). Taken as 6 MiB = 6,291,456 bytes, the smaller
    /// reading of "6 MB" (Lambda's own ResponseSizeTooLarge message names 6,291,556), measured on
    /// the encoded envelope (JSON escaping or base64 included), which is what Lambda counts.
    /// </summary>
    public const int BufferedLimitBytes = 6 * 1024 * 1024;

    /// <summary>
    /// Names the Lambda request id on every answer: usage records and log lines are filed under it,
    /// so a customer can match a response to a billed record (x-amzn-RequestId is Bedrock's own id).
    /// </summary>
    public const string RequestIdHeader = "x-request-id";

    /// <summary>Anthropic's clients read the request id from <c>request-id</c>; the Anthropic surface asks for it too.</summary>
    public const string AnthropicRequestIdHeader = "request-id";

    public DeliveryMode Delivery { get; } = delivery;

    /// <summary>Also names the request id in <see cref="AnthropicRequestIdHeader"/> (set before anything is sent).</summary>
    public bool NamesAnthropicRequestId { get; set; }

    /// <summary>True once any byte of the answer may have left: from then on only a stream failure can report an error.</summary>
    public bool HasStarted => responder.HasResponded;

    /// <summary>
    /// True once an answer was handed to the runtime, accepted or not: after a refusal (the Runtime
    /// API answered an error, the connection broke) no second answer may be tried.
    /// </summary>
    public bool SendAttempted { get; private set; }

    /// <summary>The error sent instead of a buffered answer too large for Lambda; null otherwise.</summary>
    public ApiError? TooLarge { get; private set; }

    /// <summary>Sends a complete answer in whichever envelope the front expects.</summary>
    public async Task SendAsync(ProxyResponse response, CancellationToken cancellationToken)
    {
        if (Delivery == DeliveryMode.Buffered)
        {
            // A body over the limit cannot fit, whatever its encoding: no need to build the envelope.
            byte[]? envelope = response.Body.Length > BufferedLimitBytes
                ? null
                : BufferedEnvelope.Write(response with { Headers = WithRequestId(response.Headers) });
            if (envelope is null || envelope.Length > BufferedLimitBytes)
            {
                await SendTooLargeAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            SendAttempted = true;
            await responder.SendBufferedAsync(envelope, cancellationToken).ConfigureAwait(false);
            return;
        }
        SendAttempted = true;

        IStreamedBody body = await StartStreamAsync(response.StatusCode, response.Headers, cancellationToken).ConfigureAwait(false);
        if (!response.Body.IsEmpty)
        {
            await body.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }
        await body.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers a buffered front whose answer would pass <see cref="BufferedLimitBytes"/> with
    /// <see cref="ApiError.ResponseTooLarge"/>, and remembers it for the usage record.
    /// </summary>
    public Task SendTooLargeAsync(CancellationToken cancellationToken)
    {
        TooLarge = ApiError.ResponseTooLarge(BufferedLimitBytes);
        ProxyResponse error = ErrorResponses.Render(TooLarge, errorStyle);
        SendAttempted = true;
        return responder.SendBufferedAsync(BufferedEnvelope.Write(error with { Headers = WithRequestId(error.Headers) }), cancellationToken);
    }

    /// <summary>Starts a streamed answer; only valid when <see cref="Delivery"/> is <see cref="DeliveryMode.Streamed"/>.</summary>
    public Task<IStreamedBody> StartStreamAsync(
        int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (Delivery != DeliveryMode.Streamed)
        {
            throw new InvalidOperationException("A buffered front cannot receive a streamed answer; collect it and call SendAsync.");
        }
        SendAttempted = true;
        var cookies = new List<string>();
        var plain = new List<KeyValuePair<string, string>>(headers.Count + 1);
        if (requestId is not null)
        {
            plain.Add(new(RequestIdHeader, requestId));
            if (NamesAnthropicRequestId)
            {
                plain.Add(new(AnthropicRequestIdHeader, requestId));
            }
        }
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.Equals(header.Key, "set-cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookies.Add(header.Value);
            }
            else
            {
                plain.Add(header);
            }
        }
        return responder.StartHttpStreamAsync(new HttpResponsePrelude(statusCode, plain, cookies), cancellationToken);
    }

    private IReadOnlyList<KeyValuePair<string, string>> WithRequestId(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        requestId is null ? headers
        : NamesAnthropicRequestId ? [new(RequestIdHeader, requestId), new(AnthropicRequestIdHeader, requestId), .. headers]
        : [new(RequestIdHeader, requestId), .. headers];
}
