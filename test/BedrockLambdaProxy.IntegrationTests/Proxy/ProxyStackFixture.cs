using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.LocalHost;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockSimulator;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>
/// The whole stack as a user runs it: the real published bootstrap under the Lambda emulator,
/// dynalite with the tables, the Bedrock simulator over HTTP, and a customer with a key.
/// </summary>
public class ProxyStackFixture : IAsyncLifetime
{
    private DevStack? _stack;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    internal DevStack Stack => _stack ?? throw new InvalidOperationException("the stack is not running");

    internal SimulatorServer Simulator => Stack.Simulator!.Server;

    public string ApiKey => Stack.DemoApiKey!;

    public string CustomerId => "e2e";

    public Uri FunctionUrl => Stack.Lambda.FunctionUrl;

    public Uri ApiGatewayUrl => Stack.Lambda.ApiGatewayUrl;

    public Uri ApiGatewayStreamUrl => new(Stack.Lambda.ApiGatewayUrl, "stream/");

    /// <summary>The function's timeout under the emulator (the invocation deadline).</summary>
    public virtual TimeSpan FunctionTimeout => TimeSpan.FromSeconds(20);

    public async Task InitializeAsync()
    {
        var options = new DevStackOptions
        {
            Lambda = new LocalStackOptions
            {
                BootstrapPath = RepositoryPaths.Bootstrap,
                WorkerCount = 2,
                FunctionTimeout = FunctionTimeout,
            },
            Simulator = new SimulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(10) },
            DemoCustomerId = CustomerId,
        };
        options.Lambda.FunctionEnvironment["BEDROCK_MAX_ATTEMPTS"] = "4";
        // Short, so a revoked key stops working within a test's patience.
        options.Lambda.FunctionEnvironment["AUTH_CACHE_SECONDS"] = "2";
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _stack = await DevStack.StartAsync(options, start.Token);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    /// <summary>A POST with the customer's key (or <paramref name="apiKey"/>) and a JSON body.</summary>
    public HttpRequestMessage Post(Uri baseUri, string path, string json, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path.TrimStart('/')))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? ApiKey);
        return request;
    }

    /// <summary>The usage log lines the workers wrote for <paramref name="modelId"/> (each test uses its own model id).</summary>
    public IReadOnlyList<JsonElement> UsageLines(string modelId)
    {
        var lines = new List<JsonElement>();
        foreach (WorkerLogLine line in Stack.Lambda.WorkerLogs)
        {
            if (!line.Text.StartsWith('{') || !line.Text.Contains("\"event_type\":\"bedrock_", StringComparison.Ordinal))
            {
                continue;
            }
            using JsonDocument document = JsonDocument.Parse(line.Text);
            if (document.RootElement.TryGetProperty("model_id", out JsonElement model) && model.GetString() == modelId)
            {
                lines.Add(document.RootElement.Clone());
            }
        }
        return lines;
    }

    /// <summary>The workers' recent output, for failure messages.</summary>
    public string WorkerLogText() => string.Join('\n', Stack.Lambda.WorkerLogs.TakeLast(30).Select(l => $"[{l.Worker}] {l.Text}"));

    /// <summary>Waits (bounded) for the usage line: it is written after the answer has been delivered.</summary>
    public async Task<JsonElement> UsageLineAsync(string modelId)
    {
        for (int i = 0; i < 200; i++)
        {
            IReadOnlyList<JsonElement> lines = UsageLines(modelId);
            if (lines.Count > 0)
            {
                return Assert.Single(lines);
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no usage log line for {modelId}");
    }
}
