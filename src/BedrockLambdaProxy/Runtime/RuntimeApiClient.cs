using System.Net;
using System.Net.Http.Headers;

namespace BedrockLambdaProxy.Runtime;

/// <summary>The Lambda Runtime API calls the loop makes over HTTP: next, response, error, init error.</summary>
internal sealed class RuntimeApiClient : IDisposable
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>9999-12-31T23:59:59.999Z, the last instant DateTimeOffset can hold.</summary>
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;

    public RuntimeApiClient(RuntimeApiEndpoint endpoint)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            // The Runtime API is on loopback: a proxy from the environment must never apply.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

        // /next long-polls until the next event arrives, which can be any time: no overall timeout.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public RuntimeApiEndpoint Endpoint { get; }

    /// <summary>GET <c>/invocation/next</c>: waits for the next event and returns it.</summary>
    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(
            new Uri(Endpoint.BaseUri, "invocation/next"), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException(
                $"GET invocation/next answered {(int)response.StatusCode}.", (int)response.StatusCode);
        }

        string requestId = SingleHeader(response, RequestIdHeader)
            ?? throw new RuntimeApiException($"GET invocation/next answered without {RequestIdHeader}.");
        // A missing or unreadable deadline means "no deadline" rather than a lost invocation.
        DateTimeOffset deadline = long.TryParse(SingleHeader(response, DeadlineHeader), out long deadlineMs)
            && deadlineMs is >= 0 and <= MaxUnixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : DateTimeOffset.MaxValue;
        byte[] payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new Invocation(
            requestId,
            deadline,
            SingleHeader(response, FunctionArnHeader),
            SingleHeader(response, TraceIdHeader),
            payload);
    }

    /// <summary>POST <c>/invocation/{id}/response</c> with the whole payload.</summary>
    public async Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint.InvocationUri(requestId, "response"))
        {
            Content = new ReadOnlyMemoryContent(payload),
        };
        await SendExpectingAcceptedAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST <c>/invocation/{id}/error</c>: the invocation failed before any response was sent.</summary>
    public Task PostInvocationErrorAsync(string requestId, string errorType, string errorMessage, CancellationToken cancellationToken) =>
        PostErrorAsync(Endpoint.InvocationUri(requestId, "error"), errorType, errorMessage, cancellationToken);

    /// <summary>POST <c>/init/error</c>: the function could not start.</summary>
    public Task PostInitErrorAsync(string errorType, string errorMessage, CancellationToken cancellationToken) =>
        PostErrorAsync(new Uri(Endpoint.BaseUri, "init/error"), errorType, errorMessage, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(Uri uri, string errorType, string errorMessage, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(RuntimeErrorDocument.ToJson(errorType, errorMessage));
        content.Headers.ContentType = JsonContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, RuntimeErrorDocument.ToHeaderValue(errorType));
        await SendExpectingAcceptedAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendExpectingAcceptedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // The Runtime API answers 202; 400/403/413 and 500 mean the post was not accepted.
        if (!response.IsSuccessStatusCode)
        {
            throw new RuntimeApiException(
                $"POST {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}.", (int)response.StatusCode);
        }
    }

    private static string? SingleHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
}
