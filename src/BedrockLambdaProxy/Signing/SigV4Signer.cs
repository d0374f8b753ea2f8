using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace BedrockLambdaProxy.Signing;

/// <summary>
/// AWS Signature Version 4 for the requests this function sends (DynamoDB's <c>POST /</c>, Bedrock's
/// <c>POST /model/{id}/…</c>: no query string, a payload hash already in <c>x-amz-content-sha256</c>), written
/// from the SigV4 specification. AWSSDK.Core's SigV4SigningHandler was about a tenth of a warm request's CPU
/// across the four calls it signed (bench/README.md): it canonicalises any request shape, moves content headers
/// in and out of the request, and derives the signing key on every call. Here the key is derived once a day per
/// secret, and every header the request carries when it is signed is signed.
/// </summary>
internal sealed class SigV4Signer(AWSCredentials credentials, string region, string service, TimeProvider time)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string ContentSha256Header = "x-amz-content-sha256";

    /// <summary>The hex SHA-256 of a request body for <see cref="ContentSha256Header"/>: computed once, the same for every attempt's signature.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    // The last derived key, replaced whole (date or secret changed) so readers never see a torn pair.
    private SigV4SigningKey? _key;

    /// <summary>
    /// Adds X-Amz-Date, X-Amz-Security-Token (temporary credentials) and Authorization to <paramref name="request"/>,
    /// which must already carry x-amz-content-sha256 and every other header it will be sent with.
    /// </summary>
    public async ValueTask SignAsync(HttpRequestMessage request)
    {
        Uri uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");
        if (uri.Query.Length > 1)
        {
            throw new InvalidOperationException("SigV4Signer signs requests without a query string only.");
        }
        ImmutableCredentials identity = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        string amzDate = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (identity.UseToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", identity.Token);
        }

        (string canonical, string signedHeaders) = CanonicalRequest(request, uri);
        string scope = $"{date}/{region}/{service}/aws4_request";
        string stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        string signature = Hex(HMACSHA256.HashData(KeyFor(identity.SecretKey, date), Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={identity.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>
    /// The canonical request: method, the path with each segment encoded once more (every service but S3), the empty
    /// query, host and the request's and content's headers by lower-case name in ordinal order with trimmed values
    /// (inner runs of spaces collapsed), their names, and the payload hash.
    /// </summary>
    internal static (string Canonical, string SignedHeaders) CanonicalRequest(HttpRequestMessage request, Uri uri)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = uri.Authority };
        AddHeaders(headers, request.Headers.NonValidated);
        if (request.Content is { } content)
        {
            AddHeaders(headers, content.Headers.NonValidated);
        }
        string payloadHash = headers.TryGetValue(ContentSha256Header, out string? hash)
            ? hash
            : throw new InvalidOperationException($"A request to sign needs its {ContentSha256Header} header.");

        var builder = new StringBuilder(512);
        builder.Append(request.Method.Method).Append('\n');
        AppendCanonicalPath(builder, uri.AbsolutePath);
        builder.Append("\n\n");
        foreach (KeyValuePair<string, string> header in headers)
        {
            builder.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }
        string signedHeaders = string.Join(';', headers.Keys);
        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return (builder.ToString(), signedHeaders);
    }

    private static void AddHeaders(SortedDictionary<string, string> canonical, HttpHeadersNonValidated headers)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in headers)
        {
            canonical[header.Key.ToLowerInvariant()] = string.Join(',', header.Value.Select(CanonicalValue));
        }
    }

    /// <summary>Each path segment URI-encoded (RFC 3986 unreserved characters kept), so <c>%3A</c> becomes <c>%253A</c>.</summary>
    private static void AppendCanonicalPath(StringBuilder builder, string path)
    {
        if (path.Length == 0)
        {
            builder.Append('/');
            return;
        }
        foreach (byte b in Encoding.UTF8.GetBytes(path))
        {
            char c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' or '/')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string CanonicalValue(string value)
    {
        string trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }
        var builder = new StringBuilder(trimmed.Length);
        foreach (char c in trimmed)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), kept for the day.</summary>
    private byte[] KeyFor(string secret, string date)
    {
        SigV4SigningKey? cached = Volatile.Read(ref _key);
        if (cached is not null && cached.Date == date && string.Equals(cached.Secret, secret, StringComparison.Ordinal))
        {
            return cached.Key;
        }
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        Volatile.Write(ref _key, new SigV4SigningKey(secret, date, key));
        return key;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
