using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// AWS Signature Version 4 for the one request shape the lean transport sends (<c>POST /</c>, no query, a fixed
/// set of headers), written from the SigV4 specification. The SDK's general signer (SigV4SigningHandler) was about
/// a tenth of a warm request's CPU across the calls it signed: it canonicalises arbitrary paths, queries and
/// headers, moves content headers in and out of the request, and derives the signing key on every call. Here the
/// canonical request is one string and the signing key is derived once a day per secret.
/// </summary>
internal sealed class DynamoSigner(AWSCredentials credentials, string region, TimeProvider time)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "dynamodb";
    private const string SignedWithoutToken = "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target";
    private const string SignedWithToken = "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target";

    // The last derived key, replaced whole (date or secret changed) so readers never see a torn pair.
    private DynamoSigningKey? _key;

    /// <summary>
    /// Adds X-Amz-Date, X-Amz-Security-Token (temporary credentials) and Authorization to <paramref name="request"/>,
    /// which carries Content-Type <paramref name="contentType"/>, X-Amz-Target <paramref name="target"/> and
    /// x-amz-content-sha256 <paramref name="payloadHash"/>.
    /// </summary>
    public async ValueTask SignAsync(HttpRequestMessage request, string contentType, string target, string payloadHash)
    {
        ImmutableCredentials identity = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        string amzDate = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        string? token = identity.UseToken ? identity.Token : null;
        string canonical = CanonicalRequest(request.RequestUri!.Authority, contentType, target, payloadHash, amzDate, token);
        string scope = $"{date}/{region}/{Service}/aws4_request";
        string stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        string signature = Hex(HMACSHA256.HashData(KeyFor(identity.SecretKey, date), Encoding.UTF8.GetBytes(stringToSign)));

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={identity.AccessKey}/{scope}, SignedHeaders={(token is null ? SignedWithoutToken : SignedWithToken)}, Signature={signature}");
    }

    /// <summary>The canonical request: method, path, (empty) query, the signed headers sorted by name, their names, the payload hash.</summary>
    internal static string CanonicalRequest(string host, string contentType, string target, string payloadHash, string amzDate, string? token)
    {
        var builder = new StringBuilder(512);
        builder.Append("POST\n/\n\n");
        builder.Append("content-type:").Append(contentType).Append('\n');
        builder.Append("host:").Append(host).Append('\n');
        builder.Append("x-amz-content-sha256:").Append(payloadHash).Append('\n');
        builder.Append("x-amz-date:").Append(amzDate).Append('\n');
        if (token is not null)
        {
            builder.Append("x-amz-security-token:").Append(token).Append('\n');
        }
        builder.Append("x-amz-target:").Append(target).Append("\n\n");
        builder.Append(token is null ? SignedWithoutToken : SignedWithToken).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), kept for the day.</summary>
    private byte[] KeyFor(string secret, string date)
    {
        DynamoSigningKey? cached = Volatile.Read(ref _key);
        if (cached is not null && cached.Date == date && string.Equals(cached.Secret, secret, StringComparison.Ordinal))
        {
            return cached.Key;
        }
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        Volatile.Write(ref _key, new DynamoSigningKey(secret, date, key));
        return key;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
