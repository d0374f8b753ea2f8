using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Bedrock Runtime over HttpClient: SigV4 (service "bedrock") by AWSSDK.Core's signing handler,
/// raw bodies in and out, retries of transient failures before any byte reaches the caller.
/// </summary>
internal sealed class BedrockClient : IDisposable
{
    private const string SigningService = "bedrock";
    private const string ContentSha256Header = "x-amz-content-sha256";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly BedrockRetryPolicy _retry;

    /// <param name="settings">Region, endpoint override and attempt count.</param>
    /// <param name="transport">The handler under the signer: <see cref="BedrockHttp.SharedHandler"/>, or a test fake.</param>
    /// <param name="credentials">The function's AWS credentials; asked on every send.</param>
    /// <param name="retry">Backoff, attempts, clock.</param>
    public BedrockClient(ProxySettings settings, HttpMessageHandler transport, AWSCredentials credentials, BedrockRetryPolicy retry)
    {
        Endpoint = settings.BedrockEndpoint ?? BedrockHttp.DefaultEndpoint(settings.Region);
        var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(settings.Region), SigningService, transport);
        // The transport is shared by every client; only the signer belongs to this one.
        _http = new HttpClient(signer, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _retry = retry;
    }

    /// <summary>The production wiring: shared pool, default credential chain, settings' attempt count.</summary>
    public static BedrockClient Create(ProxySettings settings, TimeProvider time) =>
        new(settings, BedrockHttp.SharedHandler, new DefaultChainCredentials(), new BedrockRetryPolicy(settings.BedrockMaxAttempts, time));

    public Uri Endpoint { get; }

    /// <summary>Calls InvokeModel or Converse and returns the whole 2xx answer; throws <see cref="BedrockException"/>.</summary>
    public Task<BedrockResponse> SendAsync(
        BedrockOperation operation, string modelId, ReadOnlyMemory<byte> body, BedrockRequestHeaders headers, CancellationToken cancellationToken) =>
        SendAsync(operation, modelId, body, headers, retryDeadline: null, cancellationToken);

    /// <summary>As above; no retry wait is started that would end after <paramref name="retryDeadline"/>.</summary>
    public Task<BedrockResponse> SendAsync(
        BedrockOperation operation,
        string modelId,
        ReadOnlyMemory<byte> body,
        BedrockRequestHeaders headers,
        DateTimeOffset? retryDeadline,
        CancellationToken cancellationToken)
    {
        if (operation.IsStreaming())
        {
            throw new ArgumentException($"{operation} streams; use {nameof(OpenStreamAsync)}.", nameof(operation));
        }
        return WithRetriesAsync(operation, modelId, body, headers, retryDeadline, ReadUnaryAsync, cancellationToken);
    }

    /// <summary>
    /// Calls InvokeModelWithResponseStream or ConverseStream; returns once Bedrock's 200 headers arrived.
    /// The caller owns (and must dispose) the stream. Throws <see cref="BedrockException"/> before that.
    /// </summary>
    public Task<BedrockEventStream> OpenStreamAsync(
        BedrockOperation operation, string modelId, ReadOnlyMemory<byte> body, BedrockRequestHeaders headers, CancellationToken cancellationToken) =>
        OpenStreamAsync(operation, modelId, body, headers, retryDeadline: null, cancellationToken);

    /// <summary>As above; no retry wait is started that would end after <paramref name="retryDeadline"/>.</summary>
    public Task<BedrockEventStream> OpenStreamAsync(
        BedrockOperation operation,
        string modelId,
        ReadOnlyMemory<byte> body,
        BedrockRequestHeaders headers,
        DateTimeOffset? retryDeadline,
        CancellationToken cancellationToken)
    {
        if (!operation.IsStreaming())
        {
            throw new ArgumentException($"{operation} is unary; use {nameof(SendAsync)}.", nameof(operation));
        }
        return WithRetriesAsync(operation, modelId, body, headers, retryDeadline, OpenEventStreamAsync, cancellationToken);
    }

    private async Task<T> WithRetriesAsync<T>(
        BedrockOperation operation,
        string modelId,
        ReadOnlyMemory<byte> body,
        BedrockRequestHeaders headers,
        DateTimeOffset? retryDeadline,
        Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken)
    {
        if (!ModelId.TryValidate(modelId, out string invalid))
        {
            throw new ArgumentException(invalid, nameof(modelId));
        }
        var uri = new Uri(Endpoint, operation.RelativePath(modelId));
        // Hashed once: each attempt is re-signed with a fresh date but the payload hash never changes.
        string payloadHash = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(operation, modelId, uri, body, payloadHash, headers, onSuccess, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (BedrockException failure)
            {
                failure.Attempts = attempt;
                if (_retry.NextDelay(failure, attempt, retryDeadline) is not { } wait)
                {
                    throw;
                }
                await _retry.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> AttemptAsync<T>(
        BedrockOperation operation,
        string modelId,
        Uri uri,
        ReadOnlyMemory<byte> body,
        string payloadHash,
        BedrockRequestHeaders headers,
        Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = BuildRequest(uri, body, payloadHash, headers);
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                byte[] errorBody = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
                throw BedrockErrorReader.Read(operation, modelId, response, errorBody);
            }
            T result = await onSuccess(response, cancellationToken).ConfigureAwait(false);
            response = null; // handed over (or already disposed by onSuccess)
            return result;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            // Nothing reached our caller yet, so a dropped connection, refused or timed-out connect is
            // safe to retry. (A cancellation that is not our token's is SocketsHttpHandler's ConnectTimeout.)
            throw new BedrockException(
                operation, modelId, BedrockException.NetworkErrorType, "Amazon Bedrock could not be reached.", 0, null, true, e);
        }
        catch (AmazonClientException e)
        {
            // Raised by the signer when the credential chain finds nothing: a deployment problem, not transient.
            throw new BedrockException(
                operation, modelId, BedrockException.CredentialsErrorType, "The proxy could not load its AWS credentials.", 0, null, false, e);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private static HttpRequestMessage BuildRequest(Uri uri, ReadOnlyMemory<byte> body, string payloadHash, BedrockRequestHeaders headers)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = headers.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed)
            ? parsed
            : JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        // A precomputed payload hash stops the signer from copying the body to hash it on every attempt.
        request.Headers.TryAddWithoutValidation(ContentSha256Header, payloadHash);
        foreach (KeyValuePair<string, string> header in headers.NonContentHeaders())
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return request;
    }

    private static async Task<BedrockResponse> ReadUnaryAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new BedrockResponse((int)response.StatusCode, body, BedrockResponseHeaders.From(response));
        }
    }

    private static async Task<BedrockEventStream> OpenEventStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new BedrockEventStream(response, body, BedrockResponseHeaders.From(response));
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[BedrockErrorReader.MaxErrorBodyBytes];
        int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return buffer.AsSpan(0, read).ToArray();
    }

    public void Dispose() => _http.Dispose();
}
