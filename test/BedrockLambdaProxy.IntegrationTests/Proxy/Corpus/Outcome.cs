namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>Who must refuse a malformed request.</summary>
internal enum Outcome
{
    /// <summary>The proxy, before any call to Bedrock (the simulator's ledger must not see it).</summary>
    Proxy,
    /// <summary>Bedrock (the simulator), exactly once, relayed to the caller as a 400 ValidationException.</summary>
    Bedrock,
}
