namespace BedrockLambdaProxy.Auth;

/// <summary>Who is calling: the customer behind an authenticated API key, with their limits.</summary>
/// <param name="CustomerId">The customer's id (billing identity).</param>
/// <param name="KeyId">The human-readable id of the key used (never the key or its digest).</param>
/// <param name="Limits">The customer's limits; a null limit is unlimited.</param>
/// <param name="AllowedModels">Model ids or ARNs the customer may call; empty means any.</param>
internal sealed record CustomerContext(
    string CustomerId,
    string KeyId,
    CustomerLimits Limits,
    IReadOnlyList<string> AllowedModels)
{
    /// <summary>
    /// The key's own limits, applied inside <see cref="Limits"/> (a request needs both to admit it); null when the
    /// key has none: then admission writes nothing for the key.
    /// </summary>
    public CustomerLimits? KeyLimits { get; init; }
}
