using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Surfaces;

namespace BedrockLambdaProxy.Routing;

/// <summary>Every path the function serves (README "Request surfaces").</summary>
internal static class RouteTable
{
    public static IReadOnlyList<Route> Build(Func<ISurface, RouteHandler> authenticated, SurfaceSet surfaces)
    {
        var routes = new List<Route>
        {
            new("GET", "/health", ErrorStyle.Proxy, HealthEndpoint.HandleAsync),

            // The seed's format and Converse with a modelId/stream envelope.
            new("POST", "/invoke", ErrorStyle.Proxy, authenticated(surfaces.SeedInvoke)),
            new("POST", "/", ErrorStyle.Proxy, authenticated(surfaces.SeedInvoke)),
            new("POST", "/converse", ErrorStyle.Proxy, authenticated(surfaces.Converse)),
        };

        // Bedrock Runtime's own paths, for unmodified AWS SDKs.
        foreach (BedrockOperation operation in Enum.GetValues<BedrockOperation>())
        {
            routes.Add(new("POST", "/model/{modelId}" + operation.PathSuffix(), ErrorStyle.Aws, authenticated(surfaces.Native(operation))));
        }
        return routes;
    }
}
