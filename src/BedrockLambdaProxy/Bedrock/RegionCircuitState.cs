namespace BedrockLambdaProxy.Bedrock;

/// <summary>The state of one region's <see cref="RegionCircuitBreaker"/>.</summary>
internal enum RegionCircuitState
{
    /// <summary>Healthy: attempts go to it in its turn.</summary>
    Closed,
    /// <summary>Failing: skipped until its cool-down ends.</summary>
    Open,
    /// <summary>Cool-down over: one attempt at a time may probe it.</summary>
    HalfOpen,
}
