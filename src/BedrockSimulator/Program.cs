using System.Globalization;
using BedrockSimulator.Faults;

namespace BedrockSimulator;

/// <summary>Standalone simulator: <c>BedrockSimulator [--port N] [--http2-port N] [--region R] [--chunk-delay-ms N] [--bearer-token T] [--fault SPEC]</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        int port = 0;
        int? http2Port = null;
        var region = "us-east-1";
        TimeSpan? delay = null;
        var bearerTokens = new List<string>();
        string? fault = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
                    port = p;
                    i++;
                    break;
                case "--http2-port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var h2) && h2 <= 65535:
                    http2Port = h2;
                    i++;
                    break;
                case "--region" when value is not null:
                    region = value;
                    i++;
                    break;
                case "--chunk-delay-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                    delay = TimeSpan.FromMilliseconds(ms);
                    i++;
                    break;
                case "--bearer-token" when value is not null:
                    bearerTokens.Add(value);
                    i++;
                    break;
                case "--fault" when value is not null && FaultSpec.TryParse(value, out _, out _):
                    fault = value;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync(
                        "usage: BedrockSimulator [--port N] [--http2-port N] [--region R] [--chunk-delay-ms N] [--bearer-token T] [--fault SPEC]");
                    return 2;
            }
        }

        var defaults = new SimulatorOptions();
        var options = new SimulatorOptions
        {
            Port = port,
            Http2Port = http2Port,
            Region = region,
            ChunkDelay = delay ?? defaults.ChunkDelay,
            BearerTokens = bearerTokens,
        };
        options.InstanceFault.Set(fault);

        await using var server = await SimulatorServer.StartAsync(options, CancellationToken.None);
        // The first line of output is the HTTP/1.1 URL alone (the second, with --http2-port, the h2c URL), so
        // scripts can read them without parsing prose.
        Console.WriteLine(server.BaseAddress.ToString().TrimEnd('/'));
        if (server.Http2BaseAddress is { } h2c)
        {
            Console.WriteLine(h2c.ToString().TrimEnd('/'));
        }

        Console.Out.Flush();
        await Console.Error.WriteLineAsync(
            $"Bedrock simulator: region {options.Region}, access key {options.AccessKeyId}; Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, server.Stopping);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }

        return 0;
    }
}
