namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// A chat request the proxy will not translate: the field at fault (OpenAI's <c>param</c>) and why.
/// Thrown inside the translator so each check stays one line; turned into a 400 at its edge.
/// </summary>
internal sealed class ChatRequestException(string param, string message, string code = "invalid_value") : Exception(message)
{
    public string Param { get; } = param;

    public string Code { get; } = code;
}
