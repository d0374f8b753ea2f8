namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>The Anthropic surface's operator settings (docs/ANTHROPIC.md); a malformed value fails start-up.</summary>
internal sealed record AnthropicSettings(AnthropicModelAliases Aliases, AnthropicBodyPolicy Policy)
{
    public static AnthropicSettings FromEnvironment(Func<string, string?> read, string region) => new(
        AnthropicModelAliases.Create(region, read(AnthropicModelAliases.PrefixEnvironmentName), read(AnthropicModelAliases.EnvironmentName)),
        AnthropicBodyPolicy.Create(read(AnthropicBodyPolicy.FieldsEnvironmentName), read(AnthropicBodyPolicy.BetasEnvironmentName)));

    /// <summary>The defaults for a region, as a deployment without the variables gets them.</summary>
    public static AnthropicSettings Defaults(string region) => FromEnvironment(_ => null, region);
}
