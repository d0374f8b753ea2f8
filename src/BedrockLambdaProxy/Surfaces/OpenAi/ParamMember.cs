namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One member of an object-valued parameter (<see cref="ParamChecks.Object"/>).</summary>
internal readonly record struct ParamMember(string Name, ParamCheck Check, bool Required = false);
