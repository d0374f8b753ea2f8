using System.Net.Sockets;
using BedrockLambdaProxy.Signing;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>The one connection pool the function uses for Bedrock, shared by every invocation.</summary>
internal static class BedrockHttp
{
    /// <summary>The shared AWS pool settings (<see cref="AwsConnectionPool"/>), each connection reading ahead; each call is bounded by its invocation's token.</summary>
    public static SocketsHttpHandler SharedHandler { get; } = CreateHandler();

    private static SocketsHttpHandler CreateHandler()
    {
        SocketsHttpHandler handler = AwsConnectionPool.Create(connectTimeout: TimeSpan.FromSeconds(10));
        handler.ConnectCallback = ConnectAsync;
        return handler;
    }

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
