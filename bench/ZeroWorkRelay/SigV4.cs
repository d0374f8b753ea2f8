using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZeroWorkRelay;

/// <summary>An AWS Signature Version 4 POST to Bedrock Runtime (the simulator checks it like Bedrock does).</summary>
internal static class SigV4
{
    public static byte[] SignedPost(RelaySettings settings, string path, byte[] body, DateTime now)
    {
        string amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        string payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        // Bedrock, like every service but S3, signs each path segment URI-encoded once more.
        string canonicalPath = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        const string signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
        string canonical = $"POST\n{canonicalPath}\n\ncontent-type:application/json\nhost:{settings.BedrockHost}\n"
            + $"x-amz-content-sha256:{payloadHash}\nx-amz-date:{amzDate}\n\n{signedHeaders}\n{payloadHash}";
        string scope = $"{date}/{settings.Region}/bedrock/aws4_request";
        string toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + settings.SecretAccessKey);
        foreach (string part in new[] { date, settings.Region, "bedrock", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        string head = $"POST {path} HTTP/1.1\r\nHost: {settings.BedrockHost}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {body.Length}\r\nx-amz-content-sha256: {payloadHash}\r\nx-amz-date: {amzDate}\r\n"
            + $"Authorization: AWS4-HMAC-SHA256 Credential={settings.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
