using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// A TCP relay between the bootstrap and dynalite that reads the HTTP/1.1 request heads going through it
/// (X-Amz-Target, Content-Length) and notes each request's send and first-answer times. Bytes pass unchanged,
/// so the function's DynamoDB client does exactly what it does against DynamoDB.
/// </summary>
internal sealed class DynamoRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly Func<int> _bedrockCalls;
    private readonly ConcurrentQueue<DynamoCall> _calls = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private Task? _accepting;

    /// <param name="target">dynalite's endpoint.</param>
    /// <param name="bedrockCalls">The simulator's request count, read as each DynamoDB request passes.</param>
    public DynamoRelay(Uri target, Func<int> bedrockCalls)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _bedrockCalls = bedrockCalls;
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public DynamoCall[] Calls => [.. _calls];

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public void Clear() => _calls.Clear();

    /// <summary>Waits until no new DynamoDB request has passed for <paramref name="quiet"/> (the writes after an answer have been made).</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        var count = -1;
        var quietSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(quietSince) < quiet)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            if (_calls.Count != count)
            {
                count = _calls.Count;
                quietSince = Stopwatch.GetTimestamp();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await Task.WhenAll([.. _tasks, _accepting ?? Task.CompletedTask]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Connections end when the relay stops.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            lock (_tasks)
            {
                _tasks.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
            var pending = new ConcurrentQueue<DynamoCall>();
            var up = PumpRequestsAsync(client.GetStream(), server.GetStream(), pending);
            var down = PumpAnswersAsync(server.GetStream(), client.GetStream(), pending);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            client.Close();
            server.Close();
        }
    }

    private async Task PumpRequestsAsync(NetworkStream from, NetworkStream to, ConcurrentQueue<DynamoCall> pending)
    {
        var buffer = new byte[64 * 1024];
        var head = new List<byte>(2048);
        long bodyLeft = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read;)
            {
                if (bodyLeft > 0)
                {
                    var take = (int)Math.Min(bodyLeft, read - i);
                    bodyLeft -= take;
                    i += take;
                    continue;
                }

                head.Add(buffer[i++]);
                if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
                {
                    var call = ParseHead(Encoding.ASCII.GetString([.. head]));
                    bodyLeft = call.BodyBytes;
                    head.Clear();
                    pending.Enqueue(call);
                    _calls.Enqueue(call);
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task PumpAnswersAsync(NetworkStream from, NetworkStream to, ConcurrentQueue<DynamoCall> pending)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
        {
            // HTTP/1.1 without pipelining: the first bytes back answer the oldest request still waiting.
            if (pending.TryDequeue(out var call))
            {
                call.AnsweredTimestamp = Stopwatch.GetTimestamp();
                call.BedrockCallsAtAnswer = _bedrockCalls();
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
        }
    }

    private DynamoCall ParseHead(string head)
    {
        string operation = "(none)";
        long length = 0;
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("X-Amz-Target", StringComparison.OrdinalIgnoreCase))
            {
                operation = value[(value.IndexOf('.', StringComparison.Ordinal) + 1)..];
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("The relay reads Content-Length bodies only; the client sent Transfer-Encoding.");
            }
        }

        return new DynamoCall(operation, Stopwatch.GetTimestamp(), _bedrockCalls(), length);
    }
}
