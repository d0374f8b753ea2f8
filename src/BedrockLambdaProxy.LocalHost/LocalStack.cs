using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using BedrockLambdaProxy.LocalHost.Fronts;
using BedrockLambdaProxy.LocalHost.Invocations;
using BedrockLambdaProxy.LocalHost.RuntimeApi;
using BedrockLambdaProxy.LocalHost.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace BedrockLambdaProxy.LocalHost;

/// <summary>
/// The local Lambda: one Kestrel server on 127.0.0.1 with a Function URL port, an API Gateway
/// port and one Runtime API port per worker, and the real bootstrap processes behind them.
/// </summary>
internal sealed class LocalStack : IAsyncDisposable
{
    private const int MaxCapturedLines = 20_000;

    private readonly LocalStackOptions _options;
    private readonly ConcurrentQueue<WorkerLogLine> _logs = new();
    private readonly List<WorkerSlot> _slots = [];
    private readonly Dictionary<int, WorkerSlot> _slotsByPort = [];
    private readonly List<int> _runtimePorts = [];
    private readonly List<ILocalService> _startedServices = [];
    private readonly Action<string> _log;
    private WebApplication? _app;
    private InvocationDispatcher _dispatcher = null!;
    private int _functionUrlPort;
    private int _apiPort;
    private bool _disposed;

    private LocalStack(LocalStackOptions options)
    {
        _options = options;
        var hostLog = options.HostLog;
        _log = message => hostLog?.Invoke($"[local-stack] {message}");
    }

    public Uri FunctionUrl => new($"http://127.0.0.1:{_functionUrlPort}/");

    /// <summary>The stage's base address, e.g. http://127.0.0.1:9001/prod/.</summary>
    public Uri ApiGatewayUrl => new($"http://127.0.0.1:{_apiPort}/{_options.StageName}/");

    /// <summary>AWS_LAMBDA_RUNTIME_API of each worker slot ("127.0.0.1:port").</summary>
    public IReadOnlyList<string> RuntimeApiAddresses => _runtimePorts.Select(p => $"127.0.0.1:{p}").ToList();

    /// <summary>Lines the workers wrote (the last 20,000), oldest first.</summary>
    public IReadOnlyList<WorkerLogLine> WorkerLogs => _logs.ToArray();

    /// <summary>Worker processes started to replace others (crashes, timeouts, recycles).</summary>
    public int WorkerRestarts => _slots.Sum(s => s.Restarts);

    public IReadOnlyList<int?> WorkerProcessIds => _slots.Select(s => s.ProcessId).ToList();

    /// <summary>Per worker, the Stopwatch timestamp of its current process's first /next (0: still initialising).</summary>
    public IReadOnlyList<long> WorkerFirstPolls => _slots.Select(s => s.FirstPollTimestamp).ToList();

    public static async Task<LocalStack> StartAsync(LocalStackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SpawnWorkers && (options.BootstrapPath is null || !File.Exists(options.BootstrapPath)))
        {
            throw new FileNotFoundException($"bootstrap executable not found: {options.BootstrapPath}", options.BootstrapPath);
        }

        var stack = new LocalStack(options);
        try
        {
            await stack.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Invokes the function with a raw event, bypassing the fronts (a malformed event, for
    /// example). A <see cref="StreamedResult"/> must be read to its end, or the worker stalls
    /// once the relay's buffer (1 MB) is full.
    /// </summary>
    public Task<InvocationResult> InvokeAsync(byte[] eventJson) => _dispatcher.Enqueue(eventJson).Result;

    /// <summary>
    /// Stops every worker, then starts fresh processes (a cold start); returns the Stopwatch
    /// timestamp taken just before the first Process.Start.
    /// </summary>
    public async Task<long> RecycleWorkersAsync()
    {
        foreach (var slot in _slots)
        {
            await slot.StopAsync().ConfigureAwait(false);
        }

        var started = 0L;
        foreach (var slot in _slots)
        {
            var timestamp = slot.Start();
            started = started == 0 ? timestamp : started;
        }

        return started;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var slot in _slots)
        {
            await slot.StopAsync().ConfigureAwait(false);
        }

        _dispatcher?.Complete();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        for (var i = _startedServices.Count - 1; i >= 0; i--)
        {
            await _startedServices[i].DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _options.Services)
        {
            _log($"starting {service.Name}");
            await service.StartAsync(_options.FunctionEnvironment, cancellationToken).ConfigureAwait(false);
            _startedServices.Add(service);
        }

        _dispatcher = new InvocationDispatcher(_options.FunctionTimeout, OnTimeout);
        var functionArn = $"arn:aws:lambda:{_options.Region}:123456789012:function:{_options.FunctionName}";
        var runtimeApi = new RuntimeApiHandler(_dispatcher, functionArn, _log);
        var functionUrl = new FunctionUrlFront(_dispatcher, _log);
        var apiGateway = new ApiGatewayFront(_dispatcher, _options.StageName, _options.ApiGatewayIntegrationTimeout, _log);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var functionUrlListen = default(ListenOptions);
        var apiListen = default(ListenOptions);
        var runtimeListens = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Streams from the function may pause for a long time between chunks (a model
            // thinking); Kestrel's minimum data rates would cut them off.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(15);
            kestrel.Listen(IPAddress.Loopback, _options.FunctionUrlPort, o => functionUrlListen = o);
            kestrel.Listen(IPAddress.Loopback, _options.ApiGatewayPort, o => apiListen = o);
            for (var i = 0; i < _options.WorkerCount; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0, o => runtimeListens.Add(o));
            }
        });

        _app = builder.Build();
        _app.Run(context =>
        {
            var port = context.Connection.LocalPort;
            if (port == _functionUrlPort)
            {
                return functionUrl.HandleAsync(context);
            }

            if (port == _apiPort)
            {
                return apiGateway.HandleAsync(context);
            }

            return _slotsByPort.TryGetValue(port, out var slot)
                ? runtimeApi.HandleAsync(context, slot)
                : Task.CompletedTask;
        });

        await _app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel writes the bound endpoint back into each ListenOptions, which resolves port 0.
        _functionUrlPort = functionUrlListen!.IPEndPoint!.Port;
        _apiPort = apiListen!.IPEndPoint!.Port;
        for (var i = 0; i < runtimeListens.Count; i++)
        {
            var port = runtimeListens[i].IPEndPoint!.Port;
            var slot = new WorkerSlot(i, index => CreateStartInfo(index, port), OnWorkerOutput, _log, _dispatcher.FailOneQueued);
            _slots.Add(slot);
            _slotsByPort[port] = slot;
            _runtimePorts.Add(port);
        }

        if (_options.SpawnWorkers)
        {
            foreach (var slot in _slots)
            {
                slot.Start();
            }
        }
    }

    private ProcessStartInfo CreateStartInfo(int index, int runtimePort)
    {
        var bootstrap = Path.GetFullPath(_options.BootstrapPath!);
        var info = new ProcessStartInfo(bootstrap) { WorkingDirectory = Path.GetDirectoryName(bootstrap)! };
        var environment = info.Environment;
        foreach (var (key, value) in WorkerEnvironment.For(_options, index, runtimePort, bootstrap))
        {
            environment[key] = value;
        }

        return info;
    }

    private void OnWorkerOutput(WorkerLogLine line)
    {
        _logs.Enqueue(line);
        while (_logs.Count > MaxCapturedLines && _logs.TryDequeue(out _))
        {
        }

        if (_options.ForwardWorkerOutput)
        {
            Console.WriteLine($"[worker {line.Worker}] {line.Text}");
        }
    }

    private void OnTimeout(PendingInvocation invocation)
    {
        var seconds = _options.FunctionTimeout.TotalSeconds;
        var after = invocation.IsFinished ? " (still running after its response)" : "";
        var line = $"{DateTimeOffset.UtcNow:O} {invocation.RequestId} Task timed out after {seconds:0.00} seconds{after}";
        var worker = invocation.Worker;
        _logs.Enqueue(new WorkerLogLine(worker ?? -1, false, line, DateTimeOffset.UtcNow));
        invocation.Fail(new TimedOutResult());
        if (worker is { } index && !_disposed && !invocation.Released.IsCompleted)
        {
            _slots[index].Reset($"invocation {invocation.RequestId} timed out");
        }
    }
}
