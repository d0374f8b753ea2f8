using System.Runtime.InteropServices;
using BedrockLambdaProxy.LocalHost.Cli;

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

        using var stop = new CancellationTokenSource();

        // Ctrl-C and SIGTERM both end in DisposeAsync, which kills the workers: otherwise the
        // bootstraps would outlive the host, still polling a Runtime API that is gone.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var stack = await LocalStack.StartAsync(options, stop.Token).ConfigureAwait(false);
        if (benchmark)
        {
            return await ColdStartBenchmark.RunAsync(stack, arguments.ColdStartRuns!.Value, arguments.ColdStartPath, stop.Token).ConfigureAwait(false);
        }

        Console.WriteLine($"Function URL:  {stack.FunctionUrl}");
        Console.WriteLine($"API Gateway:   {stack.ApiGatewayUrl}  (streaming route: {stack.ApiGatewayUrl}stream/...)");
        Console.WriteLine($"Runtime API:   {string.Join(", ", stack.RuntimeApiAddresses)}");
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
