namespace BedrockLambdaProxy.LocalHost;

/// <summary>How the local stack runs the function: which executable, how many workers, which ports.</summary>
internal sealed class LocalStackOptions
{
    /// <summary>The published bootstrap executable. Required when <see cref="SpawnWorkers"/> is true.</summary>
    public string? BootstrapPath { get; set; }

    /// <summary>
    /// Concurrent execution environments. Each gets its own Runtime API port, as each Lambda
    /// sandbox has its own AWS_LAMBDA_RUNTIME_API.
    /// </summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// False leaves the worker slots empty so a test can act as the function itself by calling
    /// the Runtime API endpoints in <see cref="LocalStack.RuntimeApiAddresses"/>.
    /// </summary>
    public bool SpawnWorkers { get; set; } = true;

    /// <summary>The function's configured timeout; past it the sandbox is reset.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>API Gateway's integration timeout (29 s on AWS) for buffered routes.</summary>
    public TimeSpan ApiGatewayIntegrationTimeout { get; set; } = TimeSpan.FromSeconds(29);

    /// <summary>Extra environment for each bootstrap (BEDROCK_ENDPOINT, table names, ...).</summary>
    public IDictionary<string, string> FunctionEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Started in order before the workers, disposed in reverse after them (dynalite, the simulator).</summary>
    public IList<ILocalService> Services { get; } = new List<ILocalService>();

    /// <summary>Function URL port; 0 picks a free one.</summary>
    public int FunctionUrlPort { get; set; }

    /// <summary>API Gateway port; 0 picks a free one.</summary>
    public int ApiGatewayPort { get; set; }

    /// <summary>API Gateway stage: the first path segment of every API call.</summary>
    public string StageName { get; set; } = "prod";

    public string FunctionName { get; set; } = "bedrock-lambda-proxy";

    public string Region { get; set; } = "us-east-1";

    public int MemorySizeMb { get; set; } = 1024;

    /// <summary>Copies every worker output line to this process's stdout (the CLI does; tests read <see cref="LocalStack.WorkerLogs"/>).</summary>
    public bool ForwardWorkerOutput { get; set; }

    /// <summary>Where the stack reports its own events (worker restarts, timeouts); null is silent.</summary>
    public Action<string>? HostLog { get; set; }
}
