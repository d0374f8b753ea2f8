using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Checks one request value (never JSON null: callers treat null as "not set", as OpenAI does for its optional
/// parameters) and throws a <see cref="ChatRequestException"/> naming <paramref name="param"/> when it is wrong.
/// </summary>
internal delegate void ParamCheck(JsonElement value, string param);
