namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>An OpenAI chat completion request, translated: what to call and how to answer.</summary>
/// <param name="Model">The Bedrock model id or inference profile the caller named as <c>model</c>.</param>
/// <param name="Stream">The caller asked for <c>stream: true</c>.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>: end the stream with a usage chunk.</param>
/// <param name="ConverseBody">The Converse / ConverseStream request body.</param>
/// <param name="MaxOutputTokens">max_tokens / max_completion_tokens, reserved against token limits; 0 when unset.</param>
internal sealed record ChatRequest(string Model, bool Stream, bool IncludeUsage, ReadOnlyMemory<byte> ConverseBody, long MaxOutputTokens);
