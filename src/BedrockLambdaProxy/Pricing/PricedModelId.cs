namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// A model id as a caller named it, reduced to what prices it: the foundation model and the price tier
/// (from a cross-region profile's prefix), or the application inference profile ARN an operator maps.
/// </summary>
internal readonly record struct PricedModelId(string FoundationModel, PriceTier Tier, string? ApplicationProfileArn)
{
    private const string GlobalPrefix = "global.";
    private const string ApplicationProfile = "application-inference-profile/";

    /// <summary>
    /// Parses <c>anthropic.x</c>, <c>us.anthropic.x</c>, <c>global.anthropic.x</c> and the ARNs of a
    /// foundation model, a system inference profile or an application inference profile (which names no
    /// model: <see cref="ApplicationProfileArn"/> is set and the operator's mapping supplies the model).
    /// </summary>
    public static PricedModelId Parse(string modelId)
    {
        string id = modelId.Trim();
        if (id.StartsWith("arn:", StringComparison.Ordinal))
        {
            int slash = id.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return new PricedModelId(id, PriceTier.InRegion, null);
            }
            if (id.AsSpan(0, slash + 1).EndsWith(ApplicationProfile, StringComparison.Ordinal))
            {
                return new PricedModelId(id, PriceTier.InRegion, id);
            }
            id = id[(slash + 1)..];
        }
        // The same profile prefixes the allow-list reads (docs/COST.md): global. is its own tier, the others geographic.
        return Limits.FoundationModelId.ProfilePrefixOf(id) switch
        {
            null => new PricedModelId(id, PriceTier.InRegion, null),
            GlobalPrefix => new PricedModelId(id[GlobalPrefix.Length..], PriceTier.Global, null),
            string prefix => new PricedModelId(id[prefix.Length..], PriceTier.Geographic, null),
        };
    }
}
