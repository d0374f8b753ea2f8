using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// A real dynalite process on a free loopback port with the rate-limits and usage tables, for the
/// limits and usage tests. Minimal on purpose: the shared DynaliteFixture (auth branch) replaces it
/// once merged; the key schemas here are the fixed ones.
/// </summary>
public sealed class LimitsDynalite : IAsyncLifetime
{
    public const string RateLimitsTable = "test-rate-limits";
    public const string UsageTable = "test-usage";

    private Process? _process;

    public int Port { get; private set; }

    public DynamoCallCounter Calls { get; } = new();

    public async Task InitializeAsync()
    {
        Port = FreePort();
        string root = RepositoryRoot();
        var start = new ProcessStartInfo("node", [Path.Combine(root, "node_modules", "dynalite", "cli.js"), "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await WaitForPortAsync(Port, TimeSpan.FromSeconds(30));

        using AmazonDynamoDBClient admin = CreateClient(counted: false);
        await admin.CreateTableAsync(new CreateTableRequest
        {
            TableName = RateLimitsTable,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        await admin.CreateTableAsync(new CreateTableRequest
        {
            TableName = UsageTable,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        foreach (string table in new[] { RateLimitsTable, UsageTable })
        {
            for (int i = 0; i < 100; i++)
            {
                DescribeTableResponse described = await admin.DescribeTableAsync(table);
                if (described.Table.TableStatus == TableStatus.ACTIVE)
                {
                    break;
                }
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A client like the function's: short timeouts, counted round trips.</summary>
    public AmazonDynamoDBClient CreateClient(bool counted = true, int maxErrorRetry = 1)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = $"http://127.0.0.1:{Port}",
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromSeconds(5),
            MaxErrorRetry = maxErrorRetry,
        };
        if (counted)
        {
            config.HttpClientFactory = new CountingHttpClientFactory(Calls);
        }
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }

    /// <summary>Kills dynalite: from now on every call fails to connect.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "node_modules", "dynalite", "cli.js")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("node_modules/dynalite not found above the test binaries; run npm ci at the repository root.");
    }
}
