using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>
/// DynamoDB for the local stack: dynalite (npm, pinned in package-lock.json) on a loopback port,
/// in memory, with the proxy's four tables. Needs <c>npm ci</c> at the repository root.
/// </summary>
internal sealed class DynaliteService(int port, Action<string>? log = null) : ILocalService
{
    private Process? _process;
    private AmazonDynamoDBClient? _client;

    public string Name => "dynamodb (dynalite)";

    public int Port { get; private set; } = port;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public TableNames Tables { get; } = TableNames.Default;

    public IAmazonDynamoDB Client => _client ?? throw new InvalidOperationException("dynalite has not started.");

    public async Task StartAsync(IDictionary<string, string> functionEnvironment, CancellationToken cancellationToken)
    {
        if (Port == 0)
        {
            Port = FreePort.Next();
        }
        string cli = Path.Combine(RepositoryRoot.Find(), "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} is missing: run 'npm ci' at the repository root.");
        }
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { cli, "--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "10" })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log?.Invoke($"[dynalite] {e.Data}"); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log?.Invoke($"[dynalite] {e.Data}"); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(cancellationToken).ConfigureAwait(false);

        _client = DynamoClientFactory.Create("us-east-1", Endpoint, new BasicAWSCredentials("local", "local"));
        await TableDefinitions.EnsureTablesAsync(_client, Tables, cancellationToken).ConfigureAwait(false);

        functionEnvironment[ProxySettings.Names.DynamoDbEndpoint] = Endpoint.ToString();
        functionEnvironment[ProxySettings.Names.CustomersTable] = Tables.Customers;
        functionEnvironment[ProxySettings.Names.ApiKeysTable] = Tables.ApiKeys;
        functionEnvironment[ProxySettings.Names.RateLimitsTable] = Tables.RateLimits;
        functionEnvironment[ProxySettings.Names.UsageTable] = Tables.Usage;
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process?.Dispose();
    }

    private async Task WaitForPortAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"dynalite exited with code {_process.ExitCode} before listening on {Port}.");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token).ConfigureAwait(false);
            }
        }
    }
}
