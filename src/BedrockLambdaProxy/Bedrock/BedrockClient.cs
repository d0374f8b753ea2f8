using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Signing;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Bedrock Runtime over HttpClient: SigV4 (service "bedrock") by AWSSDK.Core's signing handler,
/// raw bodies in and out, retries of transient failures before any byte reaches the caller, moving
/// to the next configured region (failover) within the same attempt budget and deadline.
/// </summary>
internal sealed class BedrockClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly RegionTarget[] _targets;
    private readonly RegionCircuitBreaker[] _breakers;
    private readonly BedrockRetryPolicy _retry;
    private readonly AttemptStartLimit _streamStartLimit;
    private readonly AttemptStartLimit _unaryStartLimit;
    private readonly JsonLog? _log;

    /// <param name="settings">Regions (with endpoints), breaker thresholds and attempt count.</param>
    /// <param name="transport">The handler under the signers: <see cref="BedrockHttp.SharedHandler"/>, or a test fake.</param>
    /// <param name="credentials">The function's AWS credentials; asked on every send.</param>
    /// <param name="retry">Backoff, attempts, clock (the breakers' clock too).</param>
    /// <param name="log">Where a region's circuit opening or closing is reported; null is silent.</param>
    public BedrockClient(ProxySettings settings, HttpMessageHandler transport, AWSCredentials credentials, BedrockRetryPolicy retry, JsonLog? log = null)
    {
        IReadOnlyList<BedrockRegion> regions = settings.ResolvedBedrockRegions();
        _targets = new RegionTarget[regions.Count];
        _breakers = new RegionCircuitBreaker[regions.Count];
        for (int i = 0; i < regions.Count; i++)
        {
            _breakers[i] = new RegionCircuitBreaker(
                regions[i].Name, settings.BedrockRegionFailureThreshold, settings.BedrockRegionCooldown, retry.Time);
            _targets[i] = new RegionTarget(regions[i], transport, credentials, _breakers[i]);
        }
        _retry = retry;
        _streamStartLimit = settings.BedrockStreamStartLimit;
        _unaryStartLimit = settings.BedrockUnaryStartLimit;
        _log = log;
    }

    /// <summary>The production wiring: shared pool, default credential chain, settings' attempt count.</summary>
    public static BedrockClient Create(ProxySettings settings, TimeProvider time, JsonLog? log = null) =>
        new(settings, BedrockHttp.SharedHandler, new DefaultChainCredentials(), new BedrockRetryPolicy(settings.BedrockMaxAttempts, time), log);

    /// <summary>The first region's endpoint.</summary>
    public Uri Endpoint => _targets[0].Region.Endpoint;

    /// <summary>The regions in failover order, with their circuit breakers (for tests and diagnostics).</summary>
    public IReadOnlyList<RegionCircuitBreaker> Regions => _breakers;

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
        Func<HttpResponseMessage, BedrockRoute, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken)
    {
        if (!ModelId.TryValidate(modelId, out string invalid))
        {
            throw new ArgumentException(invalid, nameof(modelId));
        }
        // The surfaces refuse such headers with a 400 first; checked again here because a value that
        // fails at send time would look like a network failure and count against the region's breaker.
        if (headers.FindInvalid() is { } badHeader)
        {
            throw new ArgumentException(BedrockRequestHeaders.InvalidValueMessage(badHeader), nameof(headers));
        }
        // The model id is never rewritten per region: a cross-region inference profile (us., eu., global.)
        // goes out as the caller named it, and a region that cannot serve it answers a ValidationException.
        string relativePath = operation.RelativePath(modelId);
        // Hashed once: each attempt is re-signed with a fresh date but the payload hash never changes.
        string payloadHash = SigV4Signer.PayloadHash(body.Span);
        // A stream starts before its first token; a unary answer starts only once the whole generation
        // is done, so its limit (none unless set) is a limit on the answer's length.
        AttemptStartLimit startLimit = operation.IsStreaming() ? _streamStartLimit : _unaryStartLimit;
        var rotation = new RegionRotation(_breakers);
        int failovers = 0;
        rotation.Advance();
        for (int attempt = 1; ; attempt++)
        {
            RegionTarget target = _targets[rotation.Current];
            var route = new BedrockRoute(target.Region.Name, attempt, failovers);
            TimeSpan? startTimeout = startLimit.For(
                retryDeadline - _retry.Time.GetUtcNow(), _retry.MaxAttempts - attempt + 1, rotation.RegionsLeftToTry());
            try
            {
                T result = await AttemptAsync(operation, modelId, target, relativePath, body, payloadHash, headers, startTimeout,
                    (response, ct) => onSuccess(response, route, ct), cancellationToken).ConfigureAwait(false);
                Report(target, target.Breaker.RecordSuccess(), null);
                return result;
            }
            catch (BedrockException failure)
            {
                failure.Attempts = attempt;
                failure.Route = route;
                Judge(target, failure);
                ReportAccessDenied(target, failure);
                if (!_retry.MayTryAgain(failure, attempt, retryDeadline))
                {
                    throw;
                }
                rotation.Advance();
                if (rotation.Revisits)
                {
                    // Every region this request could use has failed once: back off before asking again.
                    if (_retry.NextDelay(failure, attempt, retryDeadline) is not { } wait)
                    {
                        _breakers[rotation.Current].Abandon();
                        throw;
                    }
                    await WaitAsync(wait, rotation.Current, cancellationToken).ConfigureAwait(false);
                }
                if (rotation.MovedRegion)
                {
                    failovers++;
                }
            }
            catch
            {
                // Cancelled (deadline, caller gone) or a bug: no verdict on the region.
                target.Breaker.Abandon();
                throw;
            }
        }
    }

    private async Task WaitAsync(TimeSpan wait, int region, CancellationToken cancellationToken)
    {
        try
        {
            await _retry.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _breakers[region].Abandon();
            throw;
        }
    }

    /// <summary>
    /// Transient failures count against the region; any other answer proves it is up. A timeout
    /// whose length the caller decides (see <see cref="DependsOnTheRequest"/>) is retried elsewhere
    /// like any transient failure but says nothing about the region.
    /// </summary>
    private void Judge(RegionTarget target, BedrockException failure)
    {
        if (DependsOnTheRequest(failure))
        {
            target.Breaker.Abandon();
        }
        else if (failure.IsRetryable)
        {
            Report(target, null, target.Breaker.RecordFailure() ? failure : null);
        }
        else if (failure.StatusCode != 0)
        {
            Report(target, target.Breaker.RecordSuccess(), null);
        }
        else
        {
            // No answer and not transient (no credentials): says nothing about the region.
            target.Breaker.Abandon();
        }
    }

    /// <summary>
    /// An access denial is the operator's to fix (the function's role, model access, an SCP): its whole
    /// message, role ARN and account included, goes to the log, while the caller gets it scrubbed
    /// (<see cref="BedrockErrorMapping.ToProxyStatus"/>).
    /// </summary>
    private void ReportAccessDenied(RegionTarget target, BedrockException failure)
    {
        if (_log is null || failure.ErrorType != "AccessDeniedException")
        {
            return;
        }
        _log.Write("error", "bedrock denied access to the function's role", json =>
        {
            json.WriteString("bedrock_region", target.Region.Name);
            json.WriteString("operation", failure.Operation.ToString());
            json.WriteString("iam_action", failure.Operation.IamAction());
            json.WriteString("model_id", failure.ModelId);
            json.WriteString("bedrock_message", failure.Message);
        });
    }

    /// <summary>
    /// Bedrock's ModelTimeoutException (the generation ran past the model's limit) and a unary call's
    /// start timeout (a unary answer starts only when the whole generation is done) are as long as the
    /// answer the caller asked for: one customer's long requests must not move every tenant of this
    /// instance to another region.
    /// </summary>
    private static bool DependsOnTheRequest(BedrockException failure) =>
        failure.ErrorType == "ModelTimeoutException"
        || (failure.ErrorType == BedrockException.StartTimeoutErrorType && !failure.Operation.IsStreaming());

    private void Report(RegionTarget target, bool? closed, BedrockException? opened)
    {
        if (_log is null)
        {
            return;
        }
        if (opened is not null)
        {
            _log.Write("warn", "bedrock region circuit opened", json =>
            {
                json.WriteString("bedrock_region", target.Region.Name);
                json.WriteString("error_type", opened.ErrorType);
                json.WriteNumber("cooldown_seconds", target.Breaker.Cooldown.TotalSeconds);
            });
        }
        else if (closed == true)
        {
            _log.Write("info", "bedrock region circuit closed", json => json.WriteString("bedrock_region", target.Region.Name));
        }
    }

    private static async Task<T> AttemptAsync<T>(
        BedrockOperation operation,
        string modelId,
        RegionTarget target,
        string relativePath,
        ReadOnlyMemory<byte> body,
        string payloadHash,
        BedrockRequestHeaders headers,
        TimeSpan? startTimeout,
        Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = BuildRequest(new Uri(target.Region.Endpoint, relativePath), body, payloadHash, headers);
        HttpResponseMessage? response = null;
        try
        {
            response = await StartAsync(operation, modelId, target, request, startTimeout, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Sends the request and waits for the response's status and headers, for at most <paramref name="startTimeout"/> when one is given.</summary>
    private static async Task<HttpResponseMessage> StartAsync(
        BedrockOperation operation,
        string modelId,
        RegionTarget target,
        HttpRequestMessage request,
        TimeSpan? startTimeout,
        CancellationToken cancellationToken)
    {
        if (startTimeout is not { } limit)
        {
            return await target.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        // Disposed as soon as the response has started: the limit is on the start only, and the
        // stream that follows is bounded by the deadline alone.
        using var started = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        started.CancelAfter(limit);
        try
        {
            return await target.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, started.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (started.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BedrockException(
                operation, modelId, BedrockException.StartTimeoutErrorType,
                string.Create(CultureInfo.InvariantCulture, $"Amazon Bedrock did not start answering within {limit.TotalSeconds:0.###} s."),
                0, null, true, e);
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
        request.Headers.TryAddWithoutValidation(SigV4Signer.ContentSha256Header, payloadHash);
        foreach (KeyValuePair<string, string> header in headers.NonContentHeaders())
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return request;
    }

    private static async Task<BedrockResponse> ReadUnaryAsync(HttpResponseMessage response, BedrockRoute route, CancellationToken cancellationToken)
    {
        using (response)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new BedrockResponse((int)response.StatusCode, body, BedrockResponseHeaders.From(response)) { Route = route };
        }
    }

    private static async Task<BedrockEventStream> OpenEventStreamAsync(HttpResponseMessage response, BedrockRoute route, CancellationToken cancellationToken)
    {
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new BedrockEventStream(response, body, BedrockResponseHeaders.From(response)) { Route = route };
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[BedrockErrorReader.MaxErrorBodyBytes];
        int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return buffer.AsSpan(0, read).ToArray();
    }

    public void Dispose()
    {
        foreach (RegionTarget target in _targets)
        {
            target.Dispose();
        }
    }
}
