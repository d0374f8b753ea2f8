using System.Security.Cryptography;
using System.Text;

namespace BedrockLambdaProxy.Tests.Bedrock;

/// <summary>
/// Recomputes a SigV4 signature from a request as it appeared on the wire, written from the AWS
/// specification rather than with the SDK, so a client test proves more than "the SDK agrees with itself".
/// </summary>
internal static class SigV4TestVerifier
{
    public static (string Expected, string Actual) Signatures(string head, byte[] body, string secretKey)
    {
        string[] lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        string authorization = headers["Authorization"];
        string credential = Part(authorization, "Credential=");
        string[] scope = credential.Split('/'); // key/date/region/service/aws4_request
        string signedHeaders = Part(authorization, "SignedHeaders=");
        string actual = Part(authorization, "Signature=");

        var canonical = new StringBuilder();
        canonical.Append(requestLine[0]).Append('\n');
        canonical.Append(EncodePath(requestLine[1])).Append('\n');
        canonical.Append('\n'); // no query string
        foreach (string name in signedHeaders.Split(';'))
        {
            canonical.Append(name).Append(':').Append(headers[name]).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n');
        canonical.Append(Convert.ToHexStringLower(SHA256.HashData(body)));

        string amzDate = headers["x-amz-date"];
        string credentialScope = string.Join('/', scope[1..]);
        string stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + credentialScope + "\n"
            + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (string step in scope[1..])
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return (expected, actual);
    }

    /// <summary>Every path byte except unreserved characters and '/' is percent-encoded once more.</summary>
    public static string EncodePath(string rawPath)
    {
        var encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(rawPath))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    private static string Part(string authorization, string label)
    {
        int start = authorization.IndexOf(label, StringComparison.Ordinal) + label.Length;
        int end = authorization.IndexOf(',', start);
        return (end < 0 ? authorization[start..] : authorization[start..end]).Trim();
    }
}
