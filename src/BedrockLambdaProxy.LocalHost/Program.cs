using System.Runtime.InteropServices;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.LocalHost.Cli;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockSimulator;

namespace BedrockLambdaProxy.LocalHost;

/// <summary>Runs the local stack until Ctrl-C, or measures cold starts with --cold-start-runs.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var arguments = CliArguments.Parse(args, out var error);
        if (arguments is null)
        {
            await Console.Error.WriteLineAsync(error + "\n" + CliArguments.Usage).ConfigureAwait(false);
            return 2;
        }

        var benchmark = arguments.ColdStartRuns is not null;
        var options = new LocalStackOptions
        {
            BootstrapPath = arguments.BootstrapPath,
            WorkerCount = benchmark ? 1 : arguments.Workers,
            FunctionUrlPort = arguments.FunctionUrlPort,
            ApiGatewayPort = arguments.ApiPort,
            StageName = arguments.Stage,
            FunctionTimeout = TimeSpan.FromSeconds(arguments.TimeoutSeconds),
            ForwardWorkerOutput = !benchmark,
            HostLog = Console.Error.WriteLine,
        };
        foreach (var (key, value) in arguments.Environment)
        {
            options.FunctionEnvironment[key] = value;
        }

        // The browser playground is off by default when deployed and on here (--env PLAYGROUND_ENABLED=false turns it off).
        options.FunctionEnvironment.TryAdd(ProxySettings.Names.PlaygroundEnabled, benchmark ? "false" : "true");

        using var stop = new CancellationTokenSource();

        // Ctrl-C and SIGTERM both end in DisposeAsync, which kills the workers: otherwise the
        // bootstraps would outlive the host, still polling a Runtime API that is gone.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        if (benchmark)
        {
            // Cold starts measure the function alone: no dependencies, /health only.
            await using var bare = await LocalStack.StartAsync(options, stop.Token).ConfigureAwait(false);
            return await ColdStartBenchmark.RunAsync(bare, arguments.ColdStartRuns!.Value, arguments.ColdStartPath, stop.Token).ConfigureAwait(false);
        }

        var devOptions = new DevStackOptions
        {
            Lambda = options,
            DynamoDbPort = arguments.DynamoDbPort,
            Simulator = arguments.RealBedrock ? null : new SimulatorOptions { Port = arguments.SimulatorPort },
            DemoCustomerId = arguments.SeedDemo ? "demo" : null,
        };
        await using var dev = await DevStack.StartAsync(devOptions, stop.Token).ConfigureAwait(false);
        LocalStack stack = dev.Lambda;
        Console.WriteLine($"Function URL:  {stack.FunctionUrl}");
        if (string.Equals(options.FunctionEnvironment[ProxySettings.Names.PlaygroundEnabled], "true", StringComparison.OrdinalIgnoreCase))
        {
            Console.WriteLine($"Playground:    {stack.FunctionUrl}playground  (in a browser; paste the demo key)");
        }
        Console.WriteLine($"API Gateway:   {stack.ApiGatewayUrl}  (streaming route: {stack.ApiGatewayUrl}stream/...)");
        Console.WriteLine(dev.Simulator is { } simulator
            ? $"Bedrock:       {simulator.Server.BaseAddress}  (simulator; signs with {simulator.Server.Options.AccessKeyId})"
            : "Bedrock:       real Amazon Bedrock, with this environment's AWS credentials and region");
        Console.WriteLine($"DynamoDB:      {dev.Dynamo.Endpoint}  (dynalite, in memory)");
        Console.WriteLine($"Runtime API:   {string.Join(", ", stack.RuntimeApiAddresses)}");
        if (dev.DemoApiKey is not null)
        {
            Console.WriteLine($"Demo API key:  {dev.DemoApiKey}  (customer 'demo', key id {dev.DemoKeyId}; shown once)");
        }
        Console.WriteLine("Ready.");
        Console.WriteLine("Press Ctrl-C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: dispose kills the workers.
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
