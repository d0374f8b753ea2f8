using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>
/// A real DynamoDB-compatible server for tests: <c>node node_modules/dynalite/cli.js</c> on a free
/// loopback port, with the proxy's four tables created by <see cref="TableDefinitions.EnsureTablesAsync"/>.
/// Use it as an xUnit class fixture (one server per test class). <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> take DynamoDB down and bring it back on the same port for outage
/// tests; the in-memory server forgets its data on a restart (tables are re-created), the
/// <see cref="PersistentDynaliteFixture"/> keeps it in a temporary LevelDB directory.
/// Needs <c>npm ci</c> at the repository root.
/// </summary>
public class DynaliteFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string? _dataPath;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private AmazonDynamoDBClient? _client;

    public DynaliteFixture()
        : this(persistent: false)
    {
    }

    protected DynaliteFixture(bool persistent)
    {
        if (persistent)
        {
            _dataPath = Path.Combine(Path.GetTempPath(), "dynalite-" + Guid.NewGuid().ToString("N"));
        }
    }

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A client with the proxy's settings (2 s timeout, 2 retries) and dummy credentials.</summary>
    public IAmazonDynamoDB Client => _client ?? throw new InvalidOperationException("The fixture is not initialised.");

    internal TableNames Tables { get; } = TableNames.Default;

    /// <summary>The function's settings pointing at this server (default table names).</summary>
    internal ProxySettings Settings => new()
    {
        Region = "us-east-1",
        DynamoDbEndpoint = Endpoint,
        CustomersTable = Tables.Customers,
        ApiKeysTable = Tables.ApiKeys,
        RateLimitsTable = Tables.RateLimits,
        UsageTable = Tables.Usage,
    };

    /// <summary>What dynalite printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        // The free port is only free when asked; if another process takes it before dynalite
        // binds, dynalite exits (EADDRINUSE) and we try another one.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            try
            {
                await LaunchAsync();
                break;
            }
            catch (DynaliteExitedException) when (attempt < 3)
            {
                _process = null;
            }
        }
        _client = DynamoClientFactory.Create("us-east-1", Endpoint, new BasicAWSCredentials("local", "local"));
        await EnsureTablesAsync();
    }

    /// <summary>Starts dynalite (again, on the same port) and makes sure the tables exist.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        await LaunchAsync();
        await EnsureTablesAsync();
    }

    private async Task EnsureTablesAsync()
    {
        using var setup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await TableDefinitions.EnsureTablesAsync(Client, Tables, setup.Token);
    }

    private async Task LaunchAsync()
    {
        string cli = Path.Combine(RepositoryPaths.Root, "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"dynalite is not installed: run 'npm ci' in {RepositoryPaths.Root}.");
        }
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { cli, "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--createTableMs", "20", "--deleteTableMs", "20", "--updateTableMs", "20" })
        {
            start.ArgumentList.Add(arg);
        }
        if (_dataPath is not null)
        {
            Directory.CreateDirectory(_dataPath);
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(_dataPath);
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync(process);
    }

    /// <summary>Kills dynalite: every DynamoDB call fails (connection refused) until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            // SIGKILL also ends a frozen (SIGSTOPped) process.
            process.Kill(entireProcessTree: true);
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(wait.Token);
        process.Dispose();
    }

    /// <summary>
    /// Suspends dynalite (SIGSTOP): connections are still accepted by the kernel but never
    /// answered, like a DynamoDB that hangs. Undo with <see cref="ThawAsync"/>.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Resumes a frozen dynalite (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    public async Task DisposeAsync()
    {
        await StopAsync();
        _client?.Dispose();
        if (_dataPath is not null && Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private async Task WaitUntilListeningAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new DynaliteExitedException($"dynalite exited with code {process.ExitCode}: {Output}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"dynalite did not listen on port {Port} within {StartTimeout}: {Output}");
    }

    private async Task SignalAsync(string signal)
    {
        Process process = _process ?? throw new InvalidOperationException("dynalite is not running.");
        using Process kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} failed with exit code {kill.ExitCode}.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>dynalite quit while starting (typically: the port was taken meanwhile).</summary>
    private sealed class DynaliteExitedException(string message) : Exception(message);
}
