using System.Net;
using System.Net.Sockets;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>A loopback port nobody listens on right now (for child processes that need a fixed port).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
