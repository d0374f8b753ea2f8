namespace BedrockLambdaProxy.Bedrock;

/// <summary>Where a Bedrock call went before its first byte: the region that answered last and the attempts it took.</summary>
/// <param name="Region">The region of the final attempt (the one that answered, or the last one that failed).</param>
/// <param name="Attempts">Attempts in all, retries and failovers included.</param>
/// <param name="Failovers">How many times an attempt moved to a different region than the one before it.</param>
internal sealed record BedrockRoute(string Region, int Attempts, int Failovers);
