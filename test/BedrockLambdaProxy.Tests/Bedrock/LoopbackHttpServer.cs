using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BedrockLambdaProxy.Tests.Bedrock;

/// <summary>
/// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 that records each request exactly as it
/// arrived on the socket and answers with canned responses, so tests see the real wire bytes.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<byte[]> _responses;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(params byte[][] responses)
    {
        _responses = new Queue<byte[]>(responses);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Each request's head (request line + headers, as text) and body.</summary>
    public List<(string Head, byte[] Body)> Requests { get; } = [];

    public static byte[] Response(int status, string reason, string body, params string[] headers)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        return Response(status, reason, bodyBytes, headers);
    }

    public static byte[] Response(int status, string reason, byte[] body, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (string header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append($"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            using NetworkStream stream = client.GetStream();
            while (await ReadRequestAsync(stream) is { } request)
            {
                Requests.Add(request);
                byte[] response = _responses.Count > 0 ? _responses.Dequeue() : Response(500, "No More", "{}");
                await stream.WriteAsync(response, _stop.Token);
            }
        }
    }

    private async Task<(string, byte[])?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }
            head.Add(one[0]);
        }
        string text = Encoding.ASCII.GetString([.. head]);
        int length = 0;
        foreach (string line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return (text, body);
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop one way or another.
        }
        _stop.Dispose();
    }
}
