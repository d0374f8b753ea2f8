using System.Net;
using System.Net.Sockets;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>
/// A loopback TCP relay in front of dynalite, started as a local service after it: it points the function's DynamoDB
/// endpoint at itself and passes each connection on, the function's bytes through <see cref="ForwardToDynamoAsync"/>
/// (where a derived relay delays, notes or holds them) and dynalite's answers back unchanged.
/// </summary>
internal abstract class DynamoTcpRelay : ILocalService
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Uri? _target;

    public abstract string Name { get; }

    /// <summary>Fires when the relay stops.</summary>
    protected CancellationToken Stopping => _stop.Token;

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

    /// <summary>Passes what the function sends on to dynalite until either side closes.</summary>
    protected abstract Task ForwardToDynamoAsync(Stream fromFunction, Stream toDynamo);

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
                await Task.WhenAny(ForwardToDynamoAsync(down, up), up.CopyToAsync(down, _stop.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // A side went away: the connection ends, as it would with a real server.
            }
        }
    }
}
