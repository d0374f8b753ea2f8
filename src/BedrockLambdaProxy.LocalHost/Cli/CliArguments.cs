using System.Globalization;

namespace BedrockLambdaProxy.LocalHost.Cli;

/// <summary>The LocalHost command line: --bootstrap, --workers, --function-url-port, --api-port, --env, --cold-start-runs.</summary>
internal sealed class CliArguments
{
    public const string Usage =
        "usage: BedrockLambdaProxy.LocalHost --bootstrap PATH [--workers N] [--function-url-port P] [--api-port P]\n" +
        "       [--stage NAME] [--timeout SECONDS] [--env KEY=VALUE]... [--bedrock simulator|aws] [--simulator-port P]\n" +
        "       [--dynamodb-port P] [--demo true|false] [--cold-start-runs N [--cold-start-path /health]]";

    public string? BootstrapPath { get; private set; }
    public int Workers { get; private set; } = 2;
    public int FunctionUrlPort { get; private set; } = 9000;
    public int ApiPort { get; private set; } = 9001;
    public string Stage { get; private set; } = "prod";
    public int TimeoutSeconds { get; private set; } = 60;
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>--bedrock aws: call real Bedrock with the environment's credentials instead of the simulator.</summary>
    public bool RealBedrock { get; private set; }

    public int SimulatorPort { get; private set; } = 9002;

    public int DynamoDbPort { get; private set; } = 9003;

    /// <summary>Create the demo customer and print its key (on by default).</summary>
    public bool SeedDemo { get; private set; } = true;

    /// <summary>When set, measures this many cold starts instead of serving.</summary>
    public int? ColdStartRuns { get; private set; }
    public string ColdStartPath { get; private set; } = "/health";

    /// <summary>Parses the arguments; returns null and an error message when they are wrong.</summary>
    public static CliArguments? Parse(string[] args, out string? error)
    {
        var parsed = new CliArguments();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--bootstrap":
                    parsed.BootstrapPath = value;
                    break;
                case "--workers":
                    parsed.Workers = Number(name, value, ref error);
                    break;
                case "--function-url-port":
                    parsed.FunctionUrlPort = Number(name, value, ref error);
                    break;
                case "--api-port":
                    parsed.ApiPort = Number(name, value, ref error);
                    break;
                case "--stage":
                    parsed.Stage = value;
                    break;
                case "--timeout":
                    parsed.TimeoutSeconds = Number(name, value, ref error);
                    break;
                case "--cold-start-runs":
                    parsed.ColdStartRuns = Number(name, value, ref error);
                    break;
                case "--bedrock" when value is "simulator" or "aws":
                    parsed.RealBedrock = value == "aws";
                    break;
                case "--bedrock":
                    error = $"--bedrock expects simulator or aws, got '{value}'";
                    return null;
                case "--simulator-port":
                    parsed.SimulatorPort = Number(name, value, ref error);
                    break;
                case "--dynamodb-port":
                    parsed.DynamoDbPort = Number(name, value, ref error);
                    break;
                case "--demo" when value is "true" or "false":
                    parsed.SeedDemo = value == "true";
                    break;
                case "--cold-start-path":
                    parsed.ColdStartPath = value;
                    break;
                case "--env":
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        error = $"--env expects KEY=VALUE, got '{value}'";
                        return null;
                    }

                    parsed.Environment[value[..equals]] = value[(equals + 1)..];
                    break;
                default:
                    error = $"unknown option {name}";
                    return null;
            }

            if (error is not null)
            {
                return null;
            }
        }

        if (parsed.BootstrapPath is null)
        {
            error = "--bootstrap is required";
            return null;
        }

        return parsed;
    }

    private static int Number(string name, string value, ref string? error)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        error = $"{name} expects a non-negative number, got '{value}'";
        return 0;
    }
}
