using System.Net;
using System.Net.Sockets;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// A loopback TCP proxy in front of dynalite that holds every request chunk for <see cref="Delay"/>
/// before passing it on: a slow DynamoDB, switched on and off while the stack runs. As a local
/// service started after dynalite, it points the function's DynamoDB endpoint at itself.
/// </summary>
internal sealed class DelayingTcpProxy : ILocalService
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Uri? _target;
    private long _delayTicks;

    public string Name => "slow dynamodb (delaying proxy)";

    /// <summary>How long each chunk from the function waits before it reaches dynalite; zero passes it at once.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public Task StartAsync(IDictionary<string, string> functionEnvironment, CancellationToken cancellationToken)
    {
        _target = new Uri(functionEnvironment[ProxySettings.Names.DynamoDbEndpoint]);
        _listener.Start();
        functionEnvironment[ProxySettings.Names.DynamoDbEndpoint] = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _ = AcceptAsync();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
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
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target!.Host, _target.Port, _stop.Token);
                NetworkStream down = client.GetStream();
                NetworkStream up = upstream.GetStream();
                await Task.WhenAny(PumpAsync(down, up, delayed: true), PumpAsync(up, down, delayed: false));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // A side went away: the connection ends, as it would with a real server.
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool delayed)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            TimeSpan delay = Delay;
            if (delayed && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token);
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
