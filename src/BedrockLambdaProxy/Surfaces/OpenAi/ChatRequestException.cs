using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// A chat request the proxy will not translate: the field at fault (OpenAI's <c>param</c>) and why.
/// Thrown inside the translator so each check stays one line; turned into a 400 at its edge.
/// </summary>
internal sealed class ChatRequestException(string param, string message, string code = "invalid_value") : Exception(message)
{
    public string Param { get; } = param;

    public string Code { get; } = code;

    /// <summary>The 400 OpenAI answers: the message, the <c>param</c> and the <c>code</c>.</summary>
    public ApiError ToApiError() => ApiError.BadRequest(Message) with { Param = Param, Code = Code };

    /// <summary>
    /// The 400 for a string whose escapes decode to no valid text (a lone surrogate such as "\ud800"): JsonElement.GetString
    /// throws InvalidOperationException for it, and every other JsonElement access of a reader is guarded by a kind check.
    /// </summary>
    public static ApiError InvalidUnicode { get; } = ApiError.BadRequest("The request holds a string whose escape sequences are not valid Unicode text.");
}
