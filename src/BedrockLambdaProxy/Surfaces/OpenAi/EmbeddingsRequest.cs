namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>An OpenAI embeddings request, read and checked (<see cref="EmbeddingsRequestReader"/>), ready for a model family's bodies.</summary>
/// <param name="Texts">The inputs in the caller's order; each answer's <c>index</c> is its position here.</param>
/// <param name="Dimensions">The caller's <c>dimensions</c>; null keeps the model's default.</param>
/// <param name="Base64">True for <c>encoding_format: "base64"</c>: little-endian float32 bytes, base64-encoded.</param>
/// <param name="Normalize">Titan's <c>normalize</c>: on unless the caller turned it off.</param>
/// <param name="InputType">Cohere's <c>input_type</c>: <c>search_document</c> unless the caller chose another.</param>
internal sealed record EmbeddingsRequest(
    string Model,
    EmbeddingFamily Family,
    IReadOnlyList<string> Texts,
    int? Dimensions,
    bool Base64,
    bool Normalize,
    string InputType);
