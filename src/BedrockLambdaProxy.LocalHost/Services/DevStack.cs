using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>
/// Starts everything a developer (or an end-to-end test) needs on loopback: dynalite with the
/// tables, the Bedrock simulator (or real Bedrock), a demo customer and key, and the Lambda
/// emulator running the real bootstrap pointed at all of it.
/// </summary>
internal sealed class DevStack : IAsyncDisposable
{
    private DevStack(LocalStack lambda, DynaliteService dynamo, SimulatorService? simulator)
    {
        Lambda = lambda;
        Dynamo = dynamo;
        Simulator = simulator;
    }

    public LocalStack Lambda { get; }

    public DynaliteService Dynamo { get; }

    /// <summary>Null when the stack calls real Bedrock.</summary>
    public SimulatorService? Simulator { get; }

    /// <summary>The demo customer's key (shown once by the CLI), or null when none was seeded.</summary>
    public string? DemoApiKey { get; private set; }

    public string? DemoKeyId { get; private set; }

    public static async Task<DevStack> StartAsync(DevStackOptions options, CancellationToken cancellationToken)
    {
        // First, so that services the caller added start after them and may use their endpoints
        // (a test's delaying proxy in front of dynalite rewrites the function's DynamoDB endpoint).
        var dynamo = new DynaliteService(options.DynamoDbPort, options.Lambda.HostLog);
        options.Lambda.Services.Insert(0, dynamo);
        SimulatorService? simulator = null;
        if (options.Simulator is not null)
        {
            simulator = new SimulatorService(options.Simulator);
            options.Lambda.Services.Insert(1, simulator);
        }

        LocalStack lambda = await LocalStack.StartAsync(options.Lambda, cancellationToken).ConfigureAwait(false);
        var stack = new DevStack(lambda, dynamo, simulator);
        if (options.DemoCustomerId is string customerId)
        {
            try
            {
                (CustomerRecord _, string key, string keyId) = await DemoTenant.CreateAsync(
                    dynamo.Client, dynamo.Tables, customerId, options.DemoLimits, [], cancellationToken).ConfigureAwait(false);
                stack.DemoApiKey = key;
                stack.DemoKeyId = keyId;
            }
            catch
            {
                await stack.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        return stack;
    }

    /// <summary>Another customer with its own key, for tests of limits and isolation.</summary>
    public async Task<(string ApiKey, string KeyId)> AddCustomerAsync(
        string customerId, CustomerLimits limits, IReadOnlyList<string> allowedModels, CancellationToken cancellationToken)
    {
        (CustomerRecord _, string key, string keyId) = await DemoTenant.CreateAsync(
            Dynamo.Client, Dynamo.Tables, customerId, limits, allowedModels, cancellationToken).ConfigureAwait(false);
        return (key, keyId);
    }

    public ValueTask DisposeAsync() => Lambda.DisposeAsync();
}
