using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.LocalHost;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockLambdaProxy.Runtime;
using BedrockSimulator;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// The local stack as the benchmarks use it: one worker running the given bootstrap, dynalite, the simulator
/// (first content delta after <see cref="ChunkDelay"/>), a customer with limits high enough never to throttle
/// (so admission still writes its counters), a keep-alive client for the Function URL and a signed client
/// straight to the simulator.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    public const string Model = "amazon.nova-lite-v1:0";

    /// <summary>The simulator's pause before each content delta, so the first one arrives after 50 ms.</summary>
    public static readonly TimeSpan ChunkDelay = TimeSpan.FromMilliseconds(50);

    private BenchStack(DevStack dev, DevStackOptions options, string apiKey)
    {
        Dev = dev;
        Options = options;
        ApiKey = apiKey;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        var simulator = dev.Simulator!.Server;
        var settings = new ProxySettings { Region = simulator.Options.Region, BedrockEndpoint = simulator.BaseAddress };
        Direct = new BedrockClient(settings, new SocketsHttpHandler { UseProxy = false },
            new BasicAWSCredentials(simulator.Options.AccessKeyId, simulator.Options.SecretAccessKey),
            new BedrockRetryPolicy(1, TimeProvider.System));
    }

    public DevStack Dev { get; }

    public DevStackOptions Options { get; }

    public string ApiKey { get; }

    /// <summary>Client of the Function URL front (keep-alive, like a browser or SDK).</summary>
    public HttpClient Http { get; }

    /// <summary>The function's own Bedrock client, pointed straight at the simulator (SigV4, one attempt).</summary>
    public BedrockClient Direct { get; }

    public SimulatorServer Simulator => Dev.Simulator!.Server;

    public static async Task<BenchStack> StartAsync(string bootstrap, CancellationToken cancellationToken)
    {
        var options = new DevStackOptions
        {
            Lambda = new LocalStackOptions
            {
                BootstrapPath = Path.GetFullPath(bootstrap),
                WorkerCount = 1,
                FunctionTimeout = TimeSpan.FromMinutes(5),
            },
            Simulator = new SimulatorOptions { ChunkDelay = ChunkDelay },
            DemoCustomerId = "bench",
            DemoLimits = new CustomerLimits(RequestsPerMinute: 1_000_000, TokensPerMinute: 10_000_000_000, TokensPerDay: null, MonthlyTokenQuota: null),
        };
        // Workers inherit this machine's environment; Lambda never sets AWS_CA_BUNDLE, which makes the AWS SDK parse
        // the whole PEM bundle on its first request (about 50 ms of a cold request here, seen with strace -k). An empty
        // value is what the SDK treats as unset, so the cold-start numbers are Lambda's, not this machine's.
        options.Lambda.FunctionEnvironment["AWS_CA_BUNDLE"] = "";
        // Each invocation logs its allocated bytes and CPU time (read by the throughput benchmark).
        options.Lambda.FunctionEnvironment[LambdaBootstrap.ResourceLogVariable] = "1";
        var dev = await DevStack.StartAsync(options, cancellationToken).ConfigureAwait(false);
        return new BenchStack(dev, options, dev.DemoApiKey!);
    }

    /// <summary>The Converse request a client sends to the proxy's /converse route.</summary>
    public static string ProxyConverseBody(string modelId, bool stream, string text = "Hello there") =>
        $$"""{"modelId":"{{modelId}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"{{text}}"}]}]}""";

    /// <summary>The same request as Bedrock's own Converse / ConverseStream take it (model id in the path).</summary>
    public static byte[] DirectConverseBody(string text = "Hello there") =>
        Encoding.UTF8.GetBytes($$"""{"messages":[{"role":"user","content":[{"text":"{{text}}"}]}]}""");

    /// <summary>A request to the Function URL with the bench customer's key, or <paramref name="apiKey"/>.</summary>
    public HttpRequestMessage ProxyRequest(string path, string json, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Dev.Lambda.FunctionUrl, path.TrimStart('/')))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? ApiKey);
        return request;
    }

    /// <summary>Points the function at another bootstrap or environment and starts a fresh worker; returns its process id.</summary>
    public async Task<int> RecycleAsync(string? bootstrap = null)
    {
        if (bootstrap is not null)
        {
            Options.Lambda.BootstrapPath = Path.GetFullPath(bootstrap);
        }

        await Dev.Lambda.RecycleWorkersAsync().ConfigureAwait(false);
        return Dev.Lambda.WorkerProcessIds[0] ?? throw new InvalidOperationException("The worker did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Direct.Dispose();
        await Dev.DisposeAsync().ConfigureAwait(false);
    }
}
