using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>What a surface asks of Bedrock once it has read the caller's request.</summary>
/// <param name="MaxOutputTokens">
/// The answer's declared upper bound (the body's max-tokens field); 0 when the body sets none, and admission then
/// reserves the model family's default (<see cref="Limits.TokenReservation"/>).
/// </param>
internal sealed record BedrockCall(
    BedrockOperation Operation,
    string ModelId,
    ReadOnlyMemory<byte> Body,
    BedrockRequestHeaders Headers,
    long MaxOutputTokens)
{
    public bool Streams => Operation.IsStreaming();

    /// <summary>OpenAI's <c>stream_options.include_usage</c>: the stream ends with a usage chunk.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>An embeddings call: the model generates no tokens, so admission reserves the input estimate only.</summary>
    public bool GeneratesNoOutput { get; init; }

    /// <summary>What the surface read from the request beyond the call itself (the embeddings request), for its ExecuteAsync.</summary>
    public object? Prepared { get; init; }

    /// <summary>
    /// The request's input tokens as <see cref="Usage.TokenEstimate"/> estimates them from the body sent to
    /// Bedrock: reserved by admission, and billed when a stream ends before Bedrock reported its counts.
    /// Computed once, on first use.
    /// </summary>
    public long InputTokenEstimate => _inputTokenEstimate ??= Usage.TokenEstimate.FromRequestBody(Body.Span);

    private long? _inputTokenEstimate;
}
