namespace BedrockLambdaProxy.Pricing;

/// <summary>What operators stored with <c>prices set</c> / <c>prices map</c>: rows that replace or add to the shipped table, and application inference profile ARNs mapped to the model id they stand for.</summary>
internal sealed record PriceOverrides(IReadOnlyList<ModelPrice> Rows, IReadOnlyDictionary<string, string> Profiles)
{
    public static PriceOverrides None { get; } = new([], new Dictionary<string, string>(StringComparer.Ordinal));
}
