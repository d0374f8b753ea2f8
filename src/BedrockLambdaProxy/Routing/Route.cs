namespace BedrockLambdaProxy.Routing;

/// <summary>Handles a matched request; it must answer through the context's response channel.</summary>
internal delegate Task RouteHandler(RequestContext context);

/// <summary>A method and path pattern with its handler and error style.</summary>
/// <param name="Method">GET, POST, …</param>
/// <param name="Pattern">An exact path, or one with a single <c>{modelId}</c> segment that may hold encoded slashes.</param>
internal sealed record Route(string Method, string Pattern, ErrorStyle Style, RouteHandler Handler);
