namespace BedrockLambdaProxy.Storage;

/// <summary>What <see cref="TableDefinitions.EnsureTablesAsync"/> did.</summary>
/// <param name="Created">Tables that did not exist and were created.</param>
/// <param name="RateLimitsTtlEnabled">True when TTL is on; null when the server lacks the TTL API (dynalite).</param>
internal sealed record TableSetupResult(IReadOnlyList<string> Created, bool? RateLimitsTtlEnabled);
