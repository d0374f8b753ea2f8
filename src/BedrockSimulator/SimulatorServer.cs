using System.Net;
using BedrockSimulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace BedrockSimulator;

/// <summary>A running simulator on 127.0.0.1: start it in-process (tests, local stack) or through Program.</summary>
internal sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestLedger _ledger;

    private SimulatorServer(WebApplication app, RequestLedger ledger, Uri baseAddress, Uri? http2BaseAddress, SimulatorOptions options)
    {
        Http2BaseAddress = http2BaseAddress;
        _app = app;
        _ledger = ledger;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>e.g. <c>http://127.0.0.1:54321/</c>; use it as the Bedrock Runtime endpoint.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Cleartext HTTP/2 (prior knowledge) endpoint, when <see cref="SimulatorOptions.Http2Port"/> is set.</summary>
    public Uri? Http2BaseAddress { get; }

    public SimulatorOptions Options { get; }

    /// <summary>Cancelled when the host begins to stop (Ctrl+C or SIGTERM are handled by the host's console lifetime).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Model requests that passed authentication, across all keys.</summary>
    public int TotalRequests => _ledger.Total;

    /// <summary>Attempts seen for a request key (the <c>x-simulator-request-key</c> header value).</summary>
    public int RequestCount(string requestKey) => _ledger.Count(requestKey);

    /// <summary>Authenticated model requests received for <paramref name="modelId"/> (unescaped, fault and shaping prefixes included).</summary>
    public int ModelRequestCount(string modelId) => _ledger.CountModel(modelId);

    public void ResetRequestCounts() => _ledger.Reset();

    /// <summary>Every model call answered since the last reset, in the order the answers started.</summary>
    internal IReadOnlyList<ServedCall> ServedCalls() => _ledger.ServedSnapshot();

    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct)
    {
        // Content root = our own directory, so an appsettings.json in the caller's working directory cannot
        // add Kestrel endpoints or logging rules to the simulator.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        ListenOptions? http1 = null;
        ListenOptions? http2 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            // Kestrel cannot offer cleartext HTTP/2 (prior knowledge, "h2c") next to HTTP/1.1 on one port, so
            // each protocol gets its own: the AWS SDK for JavaScript uses HTTP/2 by default for this service.
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                http1 = listen;
            });
            if (options.Http2Port is { } http2Port)
            {
                kestrel.Listen(IPAddress.Loopback, http2Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    http2 = listen;
                });
            }
        });

        var app = builder.Build();
        var ledger = new RequestLedger();
        var dispatcher = new RequestDispatcher(options, ledger, app.Lifetime.ApplicationStopping);
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync(ct);

        // Kestrel writes the bound port back into each ListenOptions, which tells the two port-0 endpoints apart.
        return new SimulatorServer(app, ledger, AddressOf(http1!), http2 is null ? null : AddressOf(http2), options);
    }

    private static Uri AddressOf(ListenOptions listen) => new($"http://127.0.0.1:{listen.IPEndPoint!.Port}/");

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
