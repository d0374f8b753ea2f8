using BedrockLambdaProxy.Config;
using BedrockSimulator;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>
/// Simulated Bedrock for the local stack, in-process on a loopback port; the function signs its
/// requests with the simulator's test credentials, which the simulator verifies like AWS would.
/// </summary>
internal sealed class SimulatorService(SimulatorOptions options) : ILocalService
{
    public string Name => "bedrock (simulator)";

    public SimulatorServer Server { get; private set; } = null!;

    public async Task StartAsync(IDictionary<string, string> functionEnvironment, CancellationToken cancellationToken)
    {
        Server = await SimulatorServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        functionEnvironment[ProxySettings.Names.BedrockEndpoint] = Server.BaseAddress.ToString().TrimEnd('/');
        functionEnvironment[ProxySettings.Names.Region] = options.Region;
        // The SDK's default credential chain reads these first, so the workers sign with the
        // simulator's keys and never with whatever AWS credentials the developer has.
        functionEnvironment["AWS_ACCESS_KEY_ID"] = options.AccessKeyId;
        functionEnvironment["AWS_SECRET_ACCESS_KEY"] = options.SecretAccessKey;
        functionEnvironment["AWS_SESSION_TOKEN"] = "";
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
