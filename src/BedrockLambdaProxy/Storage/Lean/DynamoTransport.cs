using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon.DynamoDBv2;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Signing;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>Reads a 200 answer's body into the operation's response type.</summary>
internal delegate T DynamoAnswerReader<out T>(ReadOnlySpan<byte> body);

/// <summary>
/// Sends one DynamoDB JSON-protocol call (<c>POST /</c>, <c>X-Amz-Target: DynamoDB_20120810.&lt;Op&gt;</c>), signed by
/// <see cref="SigV4Signer"/> on each attempt, with the retry policy the SDK client had: standard mode's retryable answers, network
/// errors and timed-out attempts tried again up to <c>maxErrorRetry</c> times after exponential backoff with full
/// jitter (random × min(2^n s, 20 s)), each attempt bounded by <c>attemptTimeout</c> (reported as TimeoutException,
/// as the SDK reports it).
/// </summary>
internal sealed class DynamoTransport : IDisposable
{
    public const string TargetHeader = "X-Amz-Target";
    public const string TargetPrefix = "DynamoDB_20120810.";
    public const string Crc32Header = "x-amz-crc32";
    private static readonly MediaTypeHeaderValue JsonType = new("application/x-amz-json-1.0");
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http;
    private readonly SigV4Signer _signer;
    private readonly Uri _endpoint;
    private readonly TimeSpan _attemptTimeout;
    private readonly int _maxErrorRetry;
    private readonly Func<double> _random;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="endpoint">DynamoDB's regional endpoint, or a local one (dynalite).</param>
    /// <param name="transport">The connection pool (tests pass a scripted handler); disposed with this transport.</param>
    /// <param name="signer">Signs each attempt.</param>
    /// <param name="attemptTimeout">The bound on one attempt, headers and body.</param>
    /// <param name="maxErrorRetry">Attempts after the first.</param>
    /// <param name="random">Uniform in [0, 1); tests pass a fixed value.</param>
    /// <param name="delay">How to wait between attempts; tests pass one that records instead of sleeping.</param>
    public DynamoTransport(
        Uri endpoint,
        HttpMessageHandler transport,
        SigV4Signer signer,
        TimeSpan attemptTimeout,
        int maxErrorRetry,
        Func<double>? random = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _endpoint = endpoint;
        _http = new HttpClient(transport) { Timeout = Timeout.InfiniteTimeSpan };
        _signer = signer;
        _attemptTimeout = attemptTimeout;
        _maxErrorRetry = maxErrorRetry;
        _random = random ?? Random.Shared.NextDouble;
        _delay = delay ?? Task.Delay;
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="body"/> and reads the 200 answer with <paramref name="read"/>.</summary>
    public async Task<T> SendAsync<T>(string operation, ReadOnlyMemory<byte> body, DynamoAnswerReader<T> read, CancellationToken ct)
    {
        // Hashed once for all attempts (the signer signs the hash, and DynamoDB checks the body against it).
        string payloadHash = SigV4Signer.PayloadHash(body.Span);
        for (int retry = 0; ; retry++)
        {
            bool last = retry >= _maxErrorRetry;
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attempt.CancelAfter(_attemptTimeout);
                try
                {
                    using HttpRequestMessage request = BuildRequest(operation, body, payloadHash);
                    await _signer.SignAsync(request).ConfigureAwait(false);
                    using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token)
                        .ConfigureAwait(false);
                    byte[] answer = await response.Content.ReadAsByteArrayAsync(attempt.Token).ConfigureAwait(false);
                    if (!Intact(response, answer))
                    {
                        // As the SDK does: a damaged answer is retried like a dropped connection (or thrown on the last attempt).
                        throw new IOException($"DynamoDB's {operation} answer does not match its {Crc32Header} header.");
                    }
                    int status = (int)response.StatusCode;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return read(answer);
                    }
                    DynamoErrorBody error = DynamoResponseJson.ReadError(answer);
                    AmazonDynamoDBException failure = DynamoErrors.FromAnswer(status, error, RequestId(response));
                    if (last || !DynamoErrors.IsRetryable(error.Code, status))
                    {
                        throw failure;
                    }
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    // Only the attempt's own timer cancels without the caller's token.
                    if (last)
                    {
                        throw new TimeoutException($"DynamoDB {operation} did not answer within {_attemptTimeout.TotalSeconds:0.###} s.", e);
                    }
                }
                catch (Exception e) when (!last && !ct.IsCancellationRequested && e is HttpRequestException or IOException)
                {
                    // A refused or dropped connection: nothing was applied that a retry could double, or DynamoDB
                    // made the write idempotent by its condition; the SDK retries these too.
                }
            }
            await _delay(Backoff(retry), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The wait before retry <paramref name="retry"/> + 1: full jitter over min(2^retry s, 20 s).</summary>
    internal TimeSpan Backoff(int retry) =>
        TimeSpan.FromMilliseconds(_random() * Math.Min(MaxBackoff.TotalMilliseconds, 1000 * Math.Pow(2, retry)));

    private HttpRequestMessage BuildRequest(string operation, ReadOnlyMemory<byte> body, string payloadHash)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = JsonType;
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.TryAddWithoutValidation(TargetHeader, TargetPrefix + operation);
        request.Headers.TryAddWithoutValidation(SigV4Signer.ContentSha256Header, payloadHash);
        return request;
    }

    /// <summary>
    /// True unless the answer carries DynamoDB's CRC32 of its body and the body does not match it: a billing record or a
    /// limit counter must not be read from bytes damaged on the way.
    /// </summary>
    private static bool Intact(HttpResponseMessage response, byte[] answer) =>
        !response.Headers.TryGetValues(Crc32Header, out IEnumerable<string>? values)
        || !uint.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out uint expected)
        || Crc32.Compute(answer) == expected;

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
