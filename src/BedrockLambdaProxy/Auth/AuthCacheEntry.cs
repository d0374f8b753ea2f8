namespace BedrockLambdaProxy.Auth;

/// <summary>
/// What one lookup found for a key: the key item and, when the key was usable, its customer and
/// the context built from them. Status and expiry are re-evaluated on every use.
/// </summary>
internal sealed record AuthCacheEntry(ApiKeyRecord Key, CustomerRecord? Customer, CustomerContext? Context);
