namespace BedrockLambdaProxy.Pricing;

/// <summary>Bedrock's price tiers: a model called in-region, through a geographic cross-region profile, or a global profile.</summary>
internal enum PriceTier
{
    /// <summary>A foundation model id called in one region (on-demand, standard).</summary>
    InRegion,
    /// <summary>A geographic cross-region inference profile: <c>us.</c>, <c>eu.</c>, <c>apac.</c>, <c>jp.</c>, <c>au.</c>, <c>ca.</c>, <c>us-gov.</c>.</summary>
    Geographic,
    /// <summary>A <c>global.</c> cross-region inference profile.</summary>
    Global,
}
