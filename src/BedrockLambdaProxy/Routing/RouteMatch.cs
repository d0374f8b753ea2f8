namespace BedrockLambdaProxy.Routing;

/// <summary>What the router found for a method and path.</summary>
internal sealed record RouteMatch(Route? Route, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> AllowedMethods, ErrorStyle Style)
{
    public bool IsMethodNotAllowed => Route is null && AllowedMethods.Count > 0;
}
