using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Auth;

/// <summary>
/// Checks AWS Signature Version 4 (or an allowed Bedrock API key) the way Bedrock Runtime does. Written from
/// the spec on purpose and apart from the proxy's own signer (BedrockLambdaProxy.Signing), so the two judge each other;
/// the unit tests judge that signer against AWSSDK.Core's.
/// </summary>
internal sealed class SigV4Verifier(SimulatorOptions options)
{
    private const string Service = "bedrock";
    private const string InvalidSignature = "InvalidSignatureException";

    public AuthOutcome Verify(string method, string rawPath, string rawQuery, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return AuthOutcome.Reject("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return VerifyBearer(authorization["Bearer ".Length..].Trim());
        }

        if (!authorization.StartsWith(SigV4Math.Algorithm + " ", StringComparison.Ordinal))
        {
            return AuthOutcome.Reject("IncompleteSignatureException", "Authorization header requires the AWS4-HMAC-SHA256 algorithm.");
        }

        if (!TryParseAuthorization(authorization, out var credential, out var signedHeaders, out var signature))
        {
            return AuthOutcome.Reject("IncompleteSignatureException",
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return AuthOutcome.Reject("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements.");
        }

        if (!string.Equals(scope[0], options.AccessKeyId, StringComparison.Ordinal))
        {
            return AuthOutcome.Reject("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (scope[2] != options.Region || scope[3] != Service)
        {
            return AuthOutcome.Reject(InvalidSignature,
                $"Credential should be scoped to a valid region and service: expected {options.Region}/{Service}.");
        }

        var amzDate = headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt)
            || !amzDate.StartsWith(scope[1], StringComparison.Ordinal))
        {
            return AuthOutcome.Reject(InvalidSignature, "X-Amz-Date is missing or does not match the credential scope date.");
        }

        if ((options.TimeProvider.GetUtcNow() - signedAt).Duration() > options.MaxClockSkew)
        {
            return AuthOutcome.Reject(InvalidSignature, "Signature expired: the request time is too far from the server time.");
        }

        var signedNames = signedHeaders.Split(';');
        // Over HTTP/2 the JS SDK signs the ":authority" pseudo-header in place of host, and AWS accepts that.
        if (!(signedNames.Contains("host") || signedNames.Contains(":authority")) || !signedNames.Contains("x-amz-date"))
        {
            return AuthOutcome.Reject(InvalidSignature, "SignedHeaders must include host (or :authority) and x-amz-date.");
        }

        // The payload hash is always computed from the bytes received, so a client cannot claim a different one.
        var payloadHash = SigV4Math.Sha256Hex(body);
        var claimedHash = headers["x-amz-content-sha256"].ToString();
        if (claimedHash.Length > 0 && !string.Equals(claimedHash, payloadHash, StringComparison.Ordinal))
        {
            return AuthOutcome.Reject(InvalidSignature, "The provided x-amz-content-sha256 header does not match the request body.");
        }

        var canonicalRequest = BuildCanonicalRequest(method, rawPath, rawQuery, headers, signedNames, signedHeaders, payloadHash);
        var credentialScope = string.Join('/', scope[1], scope[2], scope[3], scope[4]);
        var key = SigV4Math.DeriveSigningKey(options.SecretAccessKey, scope[1], scope[2], scope[3]);
        var expected = SigV4Math.Signature(key, SigV4Math.StringToSign(amzDate, credentialScope, canonicalRequest));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return AuthOutcome.Reject(InvalidSignature,
                "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return AuthOutcome.Ok;
    }

    /// <summary>The canonical request of SigV4 task 1; internal so tests can show the exact text.</summary>
    internal static string BuildCanonicalRequest(string method, string rawPath, string rawQuery, IHeaderDictionary headers,
        IReadOnlyList<string> signedNames, string signedHeaders, string payloadHash)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n')
            .Append(SigV4Math.CanonicalUri(rawPath)).Append('\n')
            .Append(SigV4Math.CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedNames)
        {
            // Kestrel folds an HTTP/2 request's :authority into Host.
            var values = name == ":authority" && headers[name].Count == 0 ? headers.Host : headers[name];
            builder.Append(name).Append(':')
                .Append(string.Join(',', values.Select(v => SigV4Math.CanonicalHeaderValue(v ?? string.Empty))))
                .Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    private AuthOutcome VerifyBearer(string token)
    {
        var presented = Encoding.UTF8.GetBytes(token);
        foreach (var allowed in options.BearerTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(allowed)))
            {
                return AuthOutcome.Ok;
            }
        }

        return AuthOutcome.Reject("UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix.");
    }

    private static bool TryParseAuthorization(string header, out string credential, out string signedHeaders, out string signature)
    {
        credential = signedHeaders = signature = string.Empty;
        foreach (var part in header[(SigV4Math.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: break;
            }
        }

        return credential.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }
}
