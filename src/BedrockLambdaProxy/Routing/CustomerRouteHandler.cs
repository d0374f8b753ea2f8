using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// Handles a request that needs only an authenticated customer (no Bedrock call, no admission),
/// such as <c>GET /v1/models</c>; it must answer through the context's response channel.
/// </summary>
internal delegate Task CustomerRouteHandler(RequestContext context, CustomerContext customer);
