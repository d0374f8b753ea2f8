using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Surfaces.Anthropic;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Routing;

/// <summary>Every path the function serves (README "Request surfaces").</summary>
internal static class RouteTable
{
    /// <param name="authenticated">Wraps a surface in the whole pipeline (auth, admission, Bedrock, usage).</param>
    /// <param name="customerOnly">Wraps a handler that needs only an authenticated customer.</param>
    /// <param name="surfaces">The request formats.</param>
    /// <param name="playground">The browser page's handler; null (PLAYGROUND_ENABLED off) leaves /playground a 404.</param>
    /// <param name="usage">The customer's own usage (<c>GET /v1/usage</c>); null leaves the path a 404.</param>
    public static IReadOnlyList<Route> Build(
        Func<ISurface, RouteHandler> authenticated, Func<ErrorStyle, CustomerRouteHandler, RouteHandler> customerOnly, SurfaceSet surfaces,
        RouteHandler? playground = null, CustomerRouteHandler? usage = null)
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

        // OpenAI's API, for the OpenAI client ecosystem (docs/OPENAI.md).
        routes.Add(new("POST", "/v1/chat/completions", ErrorStyle.OpenAi, authenticated(surfaces.OpenAiChat)));
        routes.Add(new("POST", "/v1/embeddings", ErrorStyle.OpenAi, authenticated(surfaces.OpenAiEmbeddings)));
        // Anthropic's Messages API, for Claude Code's gateway mode and the Anthropic SDKs (docs/ANTHROPIC.md).
        routes.Add(new("POST", "/v1/messages", ErrorStyle.Anthropic, Anthropic(authenticated(surfaces.AnthropicMessages))));
        routes.Add(new("POST", "/v1/messages/count_tokens", ErrorStyle.Anthropic, Anthropic(authenticated(surfaces.AnthropicCountTokens))));

        // One listing path, two shapes: Anthropic's clients send anthropic-version on every request, OpenAI's never do.
        RouteHandler openAiModels = customerOnly(ErrorStyle.OpenAi, OpenAiModels.ListAsync);
        RouteHandler anthropicModels = Anthropic(customerOnly(ErrorStyle.Anthropic, surfaces.AnthropicModels.ListAsync));
        routes.Add(new("GET", "/v1/models", ErrorStyle.OpenAi,
            context => context.Request.Header("anthropic-version") is null ? openAiModels(context) : anthropicModels(context)));
        RouteHandler openAiModel = customerOnly(ErrorStyle.OpenAi, OpenAiModels.RetrieveAsync);
        RouteHandler anthropicModel = Anthropic(customerOnly(ErrorStyle.Anthropic, surfaces.AnthropicModels.RetrieveAsync));
        routes.Add(new("GET", "/v1/models/{modelId}", ErrorStyle.OpenAi,
            context => context.Request.Header("anthropic-version") is null ? openAiModel(context) : anthropicModel(context)));

        // Self-service: the caller's customer's usage and cost, read from the usage table (docs/USAGE-API.md).
        if (usage is not null)
        {
            routes.Add(new("GET", "/v1/usage", ErrorStyle.OpenAi, customerOnly(ErrorStyle.OpenAi, usage)));
        }

        // No auth to load the page: every call the page makes carries the key its user types.
        if (playground is not null)
        {
            routes.Add(new("GET", "/playground", ErrorStyle.Proxy, playground));
        }
        return routes;
    }

    /// <summary>Anthropic's clients read the request id from a <c>request-id</c> header: every answer on these paths names it.</summary>
    private static RouteHandler Anthropic(RouteHandler handler) => context =>
    {
        context.Response.NamesAnthropicRequestId = true;
        return handler(context);
    };
}
