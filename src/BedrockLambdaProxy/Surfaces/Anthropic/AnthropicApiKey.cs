using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// Anthropic's clients send the key as <c>x-api-key</c> (ANTHROPIC_API_KEY) or as <c>Authorization: Bearer</c>
/// (ANTHROPIC_AUTH_TOKEN, Claude Code's gateway mode); the Anthropic paths take either, as the Authorization value
/// the authenticator reads. Two different keys in one request are refused: which customer to bill would be a guess.
/// </summary>
internal static class AnthropicApiKey
{
    public const string HeaderName = "x-api-key";

    public static bool TryAuthorization(ProxyRequest request, out string? authorization, out ApiError? error)
    {
        error = null;
        authorization = request.Header("authorization");
        string? apiKey = request.Header(HeaderName)?.Trim();
        if (string.IsNullOrEmpty(apiKey))
        {
            return true;
        }
        string bearer = "Bearer " + apiKey;
        if (!string.IsNullOrWhiteSpace(authorization) && !string.Equals(authorization.Trim(), bearer, StringComparison.Ordinal))
        {
            error = ApiError.BadRequest(
                "The request carries two different API keys, one in x-api-key and one in Authorization; send one of them.");
            return false;
        }
        authorization = bearer;
        return true;
    }
}
