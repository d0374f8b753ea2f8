using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// What admission charges a request against a dollar budget: its <see cref="TokenReservation"/> at the
/// model's prices (input estimate at the input price, output cap at the output price), in micro-dollars.
/// </summary>
/// <param name="Unpriced">The request would be billed but its model has no price: a budget cannot be enforced for it.</param>
internal readonly record struct CostReservation(long MicroUsd, ModelPrice? Price, bool Unpriced)
{
    public static CostReservation For(TokenReservation tokens, string modelId, PriceBook prices)
    {
        if (tokens.Total == 0)
        {
            // CountTokens: nothing generated, nothing billed, nothing to reserve.
            return default;
        }
        return prices.Find(modelId) is { } price
            ? new CostReservation(price.CostMicroUsd(new TokenUsage(tokens.Input, tokens.Output)), price, false)
            : new CostReservation(0, null, true);
    }
}
