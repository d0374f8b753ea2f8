using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>
/// Plays the function against one Runtime API address, so the emulator can be tested without a
/// bootstrap: HttpClient for /next and buffered answers, a raw socket for chunked streams with
/// trailers (HttpClient cannot send request trailers).
/// </summary>
internal sealed class FakeFunction : IDisposable
{
    private readonly string _address;
    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };

    public FakeFunction(string runtimeApiAddress)
    {
        _address = runtimeApiAddress;
    }

    /// <summary>Long-polls /next; returns the request id, the headers and the event JSON.</summary>
    public async Task<(string RequestId, HttpResponseHeaders Headers, string Event)> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync($"http://{_address}/2018-06-01/runtime/invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = response.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        return (requestId, response.Headers, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async Task<HttpResponseMessage> RespondAsync(string requestId, string payload)
    {
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        return await _client.PostAsync($"http://{_address}/2018-06-01/runtime/invocation/{requestId}/response", content);
    }

    public async Task<HttpResponseMessage> FailAsync(string requestId, string errorType, string message)
    {
        using var content = new StringContent($"{{\"errorMessage\":\"{message}\",\"errorType\":\"{errorType}\"}}", Encoding.UTF8, "application/json");
        content.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        return await _client.PostAsync($"http://{_address}/2018-06-01/runtime/invocation/{requestId}/error", content);
    }

    /// <summary>Opens a streamed /response on a raw socket and writes the request head.</summary>
    public async Task<RawStream> StartStreamAsync(string requestId, string prelude)
    {
        var parts = _address.Split(':');
        var socket = new TcpClient();
        await socket.ConnectAsync(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        var stream = new RawStream(socket);
        var head = $"POST /2018-06-01/runtime/invocation/{requestId}/response HTTP/1.1\r\n" +
            $"Host: {_address}\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Content-Type: application/vnd.awslambda.http-integration-response\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n";
        await stream.WriteRawAsync(head);
        var preludeBytes = Encoding.UTF8.GetBytes(prelude).Concat(new byte[8]).ToArray();
        await stream.WriteChunkAsync(preludeBytes);
        return stream;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A chunked request body written by hand.</summary>
    internal sealed class RawStream : IDisposable
    {
        private readonly TcpClient _socket;
        private readonly NetworkStream _stream;

        public RawStream(TcpClient socket)
        {
            _socket = socket;
            _stream = socket.GetStream();
        }

        public Task WriteChunkAsync(string text) => WriteChunkAsync(Encoding.UTF8.GetBytes(text));

        public async Task WriteChunkAsync(byte[] data)
        {
            await WriteRawAsync($"{data.Length:x}\r\n");
            await _stream.WriteAsync(data);
            await WriteRawAsync("\r\n");
        }

        public Task CompleteAsync() => WriteRawAsync("0\r\n\r\n");

        public Task FailAsync(string errorType, string message)
        {
            var body = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"errorMessage\":\"{message}\",\"errorType\":\"{errorType}\"}}"));
            return WriteRawAsync($"0\r\nLambda-Runtime-Function-Error-Type: {errorType}\r\nLambda-Runtime-Function-Error-Body: {body}\r\n\r\n");
        }

        /// <summary>Reads the emulator's status line after the body ended.</summary>
        public async Task<string> ReadStatusLineAsync()
        {
            var buffer = new byte[512];
            var read = await _stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }

        public async Task WriteRawAsync(string text)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            await _stream.FlushAsync();
        }

        public void Dispose()
        {
            _stream.Dispose();
            _socket.Dispose();
        }
    }
}
