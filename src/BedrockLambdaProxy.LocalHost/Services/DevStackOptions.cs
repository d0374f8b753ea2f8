using BedrockLambdaProxy.Auth;
using BedrockSimulator;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>The whole local stack: the Lambda emulator plus DynamoDB, Bedrock (simulated or real) and a demo customer.</summary>
internal sealed class DevStackOptions
{
    /// <summary>The Lambda side: bootstrap, workers, fronts. Its Services and FunctionEnvironment are filled in here.</summary>
    public LocalStackOptions Lambda { get; init; } = new();

    /// <summary>dynalite's port; 0 picks a free one.</summary>
    public int DynamoDbPort { get; init; }

    /// <summary>The simulator's settings; null calls real Bedrock with the environment's AWS credentials and region.</summary>
    public SimulatorOptions? Simulator { get; init; } = new();

    /// <summary>When set, a customer with this id is created and issued a key.</summary>
    public string? DemoCustomerId { get; init; } = "demo";

    public CustomerLimits DemoLimits { get; init; } = new(RequestsPerMinute: 600, TokensPerMinute: 1_000_000, TokensPerDay: null, MonthlyTokenQuota: null);
}
