namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>A Messages request read and rewritten for Bedrock's InvokeModel.</summary>
/// <param name="ModelId">The Bedrock model id (an alias already resolved): what the allow-list and usage records see.</param>
/// <param name="Body">The InvokeModel body: the caller's fields that Bedrock takes, byte for byte, plus anthropic_version / anthropic_beta.</param>
/// <param name="MaxOutputTokens">max_tokens: the output part of the reservation against token limits.</param>
/// <param name="Dropped">The top-level fields and beta flags left out, for the log line.</param>
internal sealed record AnthropicRequest(string ModelId, bool Stream, ReadOnlyMemory<byte> Body, long MaxOutputTokens, IReadOnlyList<string> Dropped);
