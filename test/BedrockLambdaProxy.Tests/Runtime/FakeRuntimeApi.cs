using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>
/// A loopback Lambda Runtime API for tests: serves queued events on GET /invocation/next (long-polling
/// while the queue is empty), answers every POST, and records each POST's exact bytes.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    /// <summary>Guard for waits that should finish at once; a failure, never a measurement.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeInvocation> _invocations = Channel.CreateUnbounded<FakeInvocation>();
    private readonly Channel<RecordedRequest> _posts = Channel.CreateUnbounded<RecordedRequest>();
    // Never disposed: it only holds a flag, and DisposeAsync checks it to be idempotent.
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly List<Task> _tasks = [];
    private readonly Lock _gate = new();
    private readonly MemoryStream _received = new();

    public FakeRuntimeApi()
    {
        _listener.Start();
        _tasks.Add(AcceptAsync());
    }

    /// <summary>"127.0.0.1:port", the form AWS_LAMBDA_RUNTIME_API takes.</summary>
    public string HostPort => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The status every POST gets; the real Runtime API answers 202.</summary>
    public int PostStatus { get; set; } = 202;

    public void Enqueue(FakeInvocation invocation) => _invocations.Writer.TryWrite(invocation);

    /// <summary>The next POST received, in arrival order.</summary>
    public async Task<RecordedRequest> NextPostAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _posts.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>
    /// Waits until the bytes received so far on all connections (as Latin-1 text) satisfy
    /// <paramref name="condition"/>: proof that data left the client before its request ended.
    /// </summary>
    public async Task WaitUntilReceivedAsync(Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition(ReceivedText()))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Stops listening and drops every connection, as a vanished Runtime API would.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        lock (_gate)
        {
            foreach (TcpClient client in _clients)
            {
                client.Dispose();
            }
        }

        Task[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks).WaitAsync(Patience);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            lock (_gate)
            {
                _clients.Add(client);
                _tasks.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            var reader = new RecordingReader(stream, OnReceived);
            while (await HttpRequestParser.ReadAsync(reader, _stop.Token) is { } request)
            {
                byte[] answer = request.Method == "GET" && request.Path.EndsWith("/invocation/next", StringComparison.Ordinal)
                    ? NextResponse(await _invocations.Reader.ReadAsync(_stop.Token))
                    : RecordPost(request);
                await stream.WriteAsync(answer, _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed: dropping the connection is the point.
        }
        catch (IOException)
        {
            // The client went away mid-request; the test asserts on what it did receive.
        }
        finally
        {
            client.Dispose();
        }
    }

    private void OnReceived(ReadOnlyMemory<byte> bytes)
    {
        lock (_gate)
        {
            _received.Write(bytes.Span);
        }
    }

    private string ReceivedText()
    {
        lock (_gate)
        {
            return Encoding.Latin1.GetString(_received.GetBuffer(), 0, (int)_received.Length);
        }
    }

    private byte[] RecordPost(RecordedRequest request)
    {
        _posts.Writer.TryWrite(request);
        return Response(PostStatus, [], "{\"status\":\"OK\"}"u8.ToArray());
    }

    private static byte[] NextResponse(FakeInvocation invocation)
    {
        var headers = new List<string> { "Lambda-Runtime-Aws-Request-Id: " + invocation.RequestId };
        if (invocation.Deadline is { } deadline)
        {
            headers.Add("Lambda-Runtime-Deadline-Ms: " + deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        if (invocation.FunctionArn is { } arn)
        {
            headers.Add("Lambda-Runtime-Invoked-Function-Arn: " + arn);
        }

        if (invocation.TraceId is { } trace)
        {
            headers.Add("Lambda-Runtime-Trace-Id: " + trace);
        }

        return Response(200, headers, invocation.Payload);
    }

    private static byte[] Response(int status, List<string> headers, byte[] body)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {(status == 200 ? "OK" : status == 202 ? "Accepted" : "Error")}\r\n");
        head.Append("Content-Type: application/json\r\n");
        foreach (string header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }
}
