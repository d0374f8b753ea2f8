namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// Finds the price in force for a model id as the caller named it (foundation model, cross-region
/// profile, or an application inference profile ARN mapped to its model). Null means unpriced: the
/// record then carries no cost (never $0), and a dollar budget cannot be enforced for it.
/// </summary>
/// <remarks>Placeholder seam: no rows yet; the shipped table and operator overrides come with the pricing work.</remarks>
internal sealed class PriceBook
{
    public static PriceBook Empty { get; } = new();

    public ModelPrice? Find(string modelId) => null;
}
