using System.Net;
using System.Net.Sockets;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>The one connection pool the function uses for Bedrock, shared by every invocation.</summary>
internal static class BedrockHttp
{
    /// <summary>
    /// Long-lived so warm invocations reuse TLS connections; recycled every few minutes so DNS changes
    /// are picked up. No redirects: SigV4 must sign each hop itself. No decompression: bodies pass
    /// through as bytes. No timeout here: each call is bounded by its invocation's token.
    /// </summary>
    public static SocketsHttpHandler SharedHandler { get; } = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>What SocketsHttpHandler does by default (a TCP connection without Nagle), with reads taken ahead.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new ReadAheadStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Uri DefaultEndpoint(string region) => new($"https://bedrock-runtime.{region}.amazonaws.com");
}
