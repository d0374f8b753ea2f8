namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One row of <see cref="ChatParameters"/>: a top-level parameter, its type check and what the proxy does with it.</summary>
/// <param name="Refusal">For <see cref="ChatParameterUse.Refused"/>: the message of the 400.</param>
internal sealed record ChatParameter(string Name, ParamCheck Check, ChatParameterUse Use, string? Refusal = null);
