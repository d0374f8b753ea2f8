using System.Net;
using System.Net.Sockets;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>
/// One worker whose first region (eu-west-1) is a loopback listener that accepts every connection and
/// never answers, and whose second is the stack's simulator (us-east-1). The stream-start limit is left
/// at its default (a fair share of the time left); unary calls get an explicit limit; the buffered API
/// Gateway front gives up after 4 s, shorter than the function's 9 s.
/// </summary>
public sealed class HungRegionStackFixture : ProxyStackFixture
{
    /// <summary>BEDROCK_UNARY_TIMEOUT_SECONDS of the worker.</summary>
    internal const int UnaryTimeoutSeconds = 2;

    /// <summary>The buffered API Gateway front's integration timeout, and API_GATEWAY_TIMEOUT_SECONDS to match.</summary>
    internal static readonly TimeSpan ApiGatewayTimeout = TimeSpan.FromSeconds(4);

    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Short, so the fair share (half of the time left before the retry deadline, 1 s before this) is short too.</summary>
    public override TimeSpan FunctionTimeout => TimeSpan.FromSeconds(9);

    /// <summary>Connections the silent region has accepted.</summary>
    internal int SilentConnections
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    internal override Task ConfigureAsync(DevStackOptions options)
    {
        _silent.Start();
        _ = HoldConnectionsAsync();
        options.Lambda.WorkerCount = 1;
        options.Lambda.ApiGatewayIntegrationTimeout = ApiGatewayTimeout;
        options.Lambda.FunctionEnvironment["API_GATEWAY_TIMEOUT_SECONDS"] = ApiGatewayTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Lambda.FunctionEnvironment["BEDROCK_REGIONS"] = "eu-west-1,us-east-1";
        options.Lambda.FunctionEnvironment["BEDROCK_ENDPOINTS"] = $"eu-west-1=http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}";
        options.Lambda.FunctionEnvironment["BEDROCK_UNARY_TIMEOUT_SECONDS"] = UnaryTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The tests are about one request's failover, not the breaker: eu-west-1 must stay in rotation.
        options.Lambda.FunctionEnvironment["BEDROCK_REGION_FAILURE_THRESHOLD"] = "100";
        options.Lambda.FunctionEnvironment["AUTH_CACHE_SECONDS"] = "600";
        return Task.CompletedTask;
    }

    internal override Task AfterStartAsync() => WarmUpWorkersAsync();

    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (true)
            {
                Socket accepted = await _silent.AcceptSocketAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(accepted);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _stop.CancelAsync();
        _silent.Stop();
        lock (_held)
        {
            _held.ForEach(socket => socket.Dispose());
        }
        _stop.Dispose();
    }
}
