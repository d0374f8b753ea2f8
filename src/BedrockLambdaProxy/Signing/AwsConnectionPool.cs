using System.Net;

namespace BedrockLambdaProxy.Signing;

/// <summary>The connection pool settings every signed AWS call shares (Bedrock, DynamoDB).</summary>
internal static class AwsConnectionPool
{
    /// <summary>
    /// Long-lived so warm invocations reuse TLS connections; recycled every few minutes so DNS changes are
    /// picked up. No redirects: SigV4 must sign each hop itself. No decompression: bodies pass through as
    /// bytes. No proxy, no cookies. No timeout here: each call bounds itself.
    /// </summary>
    public static SocketsHttpHandler Create(TimeSpan connectTimeout) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = connectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
    };
}
