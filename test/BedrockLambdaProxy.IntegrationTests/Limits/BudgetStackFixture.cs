using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// The proxy stack with four workers and prices for the simulator's models (PRICES_EXTRA), so
/// dollar budgets can be enforced: $3 per million input tokens, $15 per million output tokens.
/// </summary>
public sealed class BudgetStackFixture : ProxyStackFixture
{
    public const string Model = "sim.chunks:4.amazon.nova-lite-v1:0";
    public const long InputMicroUsdPerMillion = 3_000_000;
    public const long OutputMicroUsdPerMillion = 15_000_000;

    internal override Task ConfigureAsync(DevStackOptions options)
    {
        options.Lambda.WorkerCount = 4;
        options.Lambda.FunctionEnvironment["PRICES_EXTRA"] =
            $"{Model}={InputMicroUsdPerMillion},{OutputMicroUsdPerMillion},300000,3750000;amazon.nova-lite-v1:0={InputMicroUsdPerMillion},{OutputMicroUsdPerMillion},0,0";
        return Task.CompletedTask;
    }
}
