using System.Globalization;
using System.Runtime.InteropServices;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Runs the chosen benchmarks against one local stack and prints Markdown:
/// <c>BedrockLambdaProxy.Benchmarks --bootstrap B [--build name=path]… [--requests 100] [--runs 3] [--throughput-rounds N] ttfb throughput latency dynamo memory coldfirstbyte</c>.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: BedrockLambdaProxy.Benchmarks --bootstrap <bootstrap the stack runs> "
        + "[--build <name>=<bootstrap>]... (builds compared by memory and coldfirstbyte; default: the stack's) [--requests N (100)] [--runs N (3)] "
        + "[--throughput-rounds N (default: --runs)] [--converse-throughput-only] [--cold-runs N (10)] [--dynamo-requests N (20)] [--worker-env K=V]... "
        + "[--sizes 128,256,512,1024,1769] [--cfs-period-us N (20000)] [--stream-rounds N (3)] "
        + "[ttfb] [openai-ttfb] [anthropic-ttfb] [throughput] [latency] [dynamo] [memory] [coldfirstbyte] [lambda-sizes]   (none = all but lambda-sizes)";

    private static async Task<int> Main(string[] args)
    {
        string? bootstrap = null;
        var memoryBuilds = new List<(string Name, string Bootstrap)>();
        var requests = 100;
        var runs = 3;
        int? throughputRounds = null;
        var converseOnly = false;
        var coldRuns = 10;
        var dynamoRequests = 20;
        var chosen = new List<string>();
        var workerEnvironment = new List<string>();
        IReadOnlyList<int> sizes = LambdaSizesBenchmark.DefaultSizes;
        var periodUs = 20_000;
        var streamRounds = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bootstrap": bootstrap = args[++i]; break;
                case "--build" or "--memory-build":
                    var build = args[++i].Split('=', 2);
                    memoryBuilds.Add((build[0], build[1]));
                    break;
                case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--throughput-rounds": throughputRounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                // A worker that only relays bytes (bench/ZeroWorkRelay) cannot speak the Anthropic surface.
                case "--converse-throughput-only": converseOnly = true; break;
                case "--cold-runs": coldRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dynamo-requests": dynamoRequests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--worker-env": workerEnvironment.Add(args[++i]); break;
                case "--sizes": sizes = [.. args[++i].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--cfs-period-us": periodUs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--stream-rounds": streamRounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "lambda-sizes" or "ttfb" or "openai-ttfb" or "anthropic-ttfb" or "throughput" or "latency" or "dynamo" or "memory" or "coldfirstbyte": chosen.Add(args[i]); break;
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
            chosen.AddRange(["ttfb", "openai-ttfb", "anthropic-ttfb", "throughput", "latency", "dynamo", "memory", "coldfirstbyte"]);
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
                "openai-ttfb" => await OpenAiTtfbBenchmark.RunAsync(stack, requests, ct).ConfigureAwait(false),
                "anthropic-ttfb" => await AnthropicTtfbBenchmark.RunAsync(stack, requests, ct).ConfigureAwait(false),
                "throughput" => await ThroughputBenchmark.RunAsync(stack, throughputRounds ?? runs, converseOnly, ct).ConfigureAwait(false),
                "latency" => await LatencyBenchmark.RunAsync(stack, requests, ct).ConfigureAwait(false),
                "dynamo" => await DynamoRoundTripBenchmark.RunAsync(stack, dynamoRequests, ct).ConfigureAwait(false),
                "lambda-sizes" => await LambdaSizesBenchmark.RunAsync(stack, sizes, requests, coldRuns, streamRounds, periodUs, ct).ConfigureAwait(false),
                "coldfirstbyte" => await ColdFirstByteBenchmark.RunAsync(stack, memoryBuilds.Count > 0 ? memoryBuilds : [("bootstrap", bootstrap)], coldRuns, ct).ConfigureAwait(false),
                _ => await MemoryBenchmark.RunAsync(stack, memoryBuilds.Count > 0 ? memoryBuilds : [("bootstrap", bootstrap)], runs, ct).ConfigureAwait(false),
            };
            Console.WriteLine(section);
        }

        return 0;
    }
}
