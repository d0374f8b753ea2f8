using System.Globalization;
using System.Runtime.InteropServices;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Runs the chosen benchmarks against one local stack and prints Markdown:
/// <c>BedrockLambdaProxy.Benchmarks --bootstrap FD [--r2r-bootstrap R2R] [--requests 100] [--runs 3] ttfb throughput latency dynamo memory</c>.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: BedrockLambdaProxy.Benchmarks --bootstrap <framework-dependent bootstrap> "
        + "[--r2r-bootstrap <self-contained R2R bootstrap>] [--requests N (100)] [--runs N (3)] [--dynamo-requests N (20)] [--worker-env K=V]... "
        + "[ttfb] [throughput] [latency] [dynamo] [memory]   (none = all)";

    private static async Task<int> Main(string[] args)
    {
        string? bootstrap = null;
        string? r2r = null;
        var requests = 100;
        var runs = 3;
        var dynamoRequests = 20;
        var chosen = new List<string>();
        var workerEnvironment = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bootstrap": bootstrap = args[++i]; break;
                case "--r2r-bootstrap": r2r = args[++i]; break;
                case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dynamo-requests": dynamoRequests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--worker-env": workerEnvironment.Add(args[++i]); break;
                case "ttfb" or "throughput" or "latency" or "dynamo" or "memory": chosen.Add(args[i]); break;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        if (bootstrap is null)
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        if (chosen.Count == 0)
        {
            chosen.AddRange(["ttfb", "throughput", "latency", "dynamo", "memory"]);
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var ct = stop.Token;

        await using var stack = await BenchStack.StartAsync(bootstrap, ct).ConfigureAwait(false);
        if (workerEnvironment.Count > 0)
        {
            // Experiments only (e.g. DOTNET_GCgen0size=0x400000): extra environment for every worker from here on.
            foreach (var pair in workerEnvironment)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                stack.Options.Lambda.FunctionEnvironment[pair[..equals]] = pair[(equals + 1)..];
            }

            await stack.RecycleAsync().ConfigureAwait(false);
        }

        foreach (var name in chosen)
        {
            await Console.Error.WriteLineAsync($"[bench] {name} …").ConfigureAwait(false);
            var section = name switch
            {
                "ttfb" => await TtfbBenchmark.RunAsync(stack, requests, ct).ConfigureAwait(false),
                "throughput" => await ThroughputBenchmark.RunAsync(stack, runs, ct).ConfigureAwait(false),
                "latency" => await LatencyBenchmark.RunAsync(stack, requests, ct).ConfigureAwait(false),
                "dynamo" => await DynamoRoundTripBenchmark.RunAsync(stack, dynamoRequests, ct).ConfigureAwait(false),
                _ => await MemoryBenchmark.RunAsync(stack, Builds(bootstrap, r2r), runs, ct).ConfigureAwait(false),
            };
            Console.WriteLine(section);
        }

        return 0;
    }

    private static List<(string Name, string Bootstrap)> Builds(string frameworkDependent, string? readyToRun)
    {
        var builds = new List<(string, string)>();
        if (readyToRun is not null)
        {
            builds.Add(("self-contained trimmed R2R", readyToRun));
        }

        builds.Add(("framework-dependent", frameworkDependent));
        return builds;
    }
}
