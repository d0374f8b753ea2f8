using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Events;

/// <summary>
/// Where one request's answer goes: wraps the runtime responder with the envelope the front
/// expects (a streamed http-integration-response, or a buffered JSON envelope).
/// </summary>
internal sealed class HttpResponseChannel(IInvocationResponder responder, DeliveryMode delivery, string? requestId = null)
{
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

    /// <summary>Sends a complete answer in whichever envelope the front expects.</summary>
    public async Task SendAsync(ProxyResponse response, CancellationToken cancellationToken)
    {
        if (Delivery == DeliveryMode.Buffered)
        {
            await responder.SendBufferedAsync(BufferedEnvelope.Write(response with { Headers = WithRequestId(response.Headers) }), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        IStreamedBody body = await StartStreamAsync(response.StatusCode, response.Headers, cancellationToken).ConfigureAwait(false);
        if (!response.Body.IsEmpty)
        {
            await body.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }
        await body.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a streamed answer; only valid when <see cref="Delivery"/> is <see cref="DeliveryMode.Streamed"/>.</summary>
    public Task<IStreamedBody> StartStreamAsync(
        int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (Delivery != DeliveryMode.Streamed)
        {
            throw new InvalidOperationException("A buffered front cannot receive a streamed answer; collect it and call SendAsync.");
        }
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
