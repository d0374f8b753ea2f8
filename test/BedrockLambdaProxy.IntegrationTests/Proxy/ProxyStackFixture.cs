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
        await ConfigureAsync(options);
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _stack = await DevStack.StartAsync(options, start.Token);
        await AfterStartAsync();
    }

    /// <summary>Runs once the stack is up, before the first test.</summary>
    internal virtual Task AfterStartAsync() => Task.CompletedTask;

    /// <summary>
    /// Sends pairs of concurrent requests (so both workers get one) until a pair is authenticated: a
    /// worker's first DynamoDB call builds the SDK client, which on a loaded machine can outlast the
    /// cold-key lookup budget (a 503 by design). The body has no model id, so the answer is a 400
    /// after authentication and Bedrock is never called: tests that count Bedrock calls stay exact.
    /// </summary>
    internal async Task WarmUpWorkersAsync()
    {
        for (int round = 0; round < 20; round++)
        {
            HttpResponseMessage[] answers = await Task.WhenAll(
                Http.SendAsync(Post(FunctionUrl, "/converse", "{}")), Http.SendAsync(Post(FunctionUrl, "/converse", "{}")));
            bool authenticated = answers.All(a => a.StatusCode == System.Net.HttpStatusCode.BadRequest);
            foreach (HttpResponseMessage answer in answers)
            {
                answer.Dispose();
            }
            if (authenticated)
            {
                return;
            }
        }
        throw new InvalidOperationException("the workers never authenticated a warm-up request\n" + WorkerLogText());
    }

    /// <summary>Lets a derived fixture change the stack (extra services, environment, workers) before it starts.</summary>
    internal virtual Task ConfigureAsync(DevStackOptions options) => Task.CompletedTask;

    public virtual async Task DisposeAsync()
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

    /// <summary>The JSON log lines the workers wrote with this message and request id (the x-request-id response header).</summary>
    public IReadOnlyList<string> LogLines(string message, string requestId)
    {
        string messageField = $"\"message\":\"{message}\"";
        string idField = $"\"request_id\":\"{requestId}\"";
        return Stack.Lambda.WorkerLogs
            .Select(l => l.Text)
            .Where(t => t.StartsWith('{') && t.Contains(messageField, StringComparison.Ordinal) && t.Contains(idField, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Waits (bounded) for exactly one such line: metrics and usage lines follow the answer.</summary>
    public async Task<string> LogLineAsync(string message, string requestId)
    {
        for (int i = 0; i < 200; i++)
        {
            IReadOnlyList<string> lines = LogLines(message, requestId);
            if (lines.Count > 0)
            {
                return Assert.Single(lines);
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no '{message}' log line for request {requestId}\n{WorkerLogText()}");
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
