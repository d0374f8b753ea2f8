using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// The Bedrock embedding models <c>POST /v1/embeddings</c> speaks, each with its own InvokeModel body
/// (<see cref="EmbeddingBodies"/>). Request and answer fields as the Bedrock user guide gives them, read 2026-12-05:
/// Titan V2 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html,
/// Cohere v3 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html,
/// Cohere v4 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html.
/// </summary>
internal sealed record EmbeddingFamily(
    string Name,
    int DefaultDimensions,
    int[] Dimensions,
    int TextsPerCall,
    bool TakesInputType,
    bool TakesNormalize)
{
    /// <summary>Titan Text Embeddings V2: one <c>inputText</c> per call; <c>dimensions</c> 256/512/1024 (default 1024); <c>normalize</c> (default true).</summary>
    public static EmbeddingFamily TitanV2 { get; } = new("titan-v2", 1024, [256, 512, 1024], 1, TakesInputType: false, TakesNormalize: true);

    /// <summary>Cohere Embed v3 (English, multilingual): up to 96 <c>texts</c> per call, 1,024 dimensions, an <c>input_type</c>.</summary>
    public static EmbeddingFamily CohereV3 { get; } = new("cohere-v3", 1024, [1024], 96, TakesInputType: true, TakesNormalize: false);

    /// <summary>Cohere Embed v4: up to 96 <c>texts</c> per call, <c>output_dimension</c> 256/512/1024/1536 (default 1536), an <c>input_type</c>.</summary>
    public static EmbeddingFamily CohereV4 { get; } = new("cohere-v4", 1536, [256, 512, 1024, 1536], 96, TakesInputType: true, TakesNormalize: false);

    /// <summary>The Cohere <c>input_type</c> values both versions take; <c>search_document</c> is the proxy's default (indexing for RAG).</summary>
    public static readonly string[] InputTypes = ["search_document", "search_query", "classification", "clustering"];

    /// <summary>
    /// The family of a model id, an inference profile id (<c>us.cohere.embed-v4:0</c>) or an ARN naming one; null for
    /// any other model. An application inference profile's ARN names no model and is refused: its family cannot be known.
    /// </summary>
    public static EmbeddingFamily? Of(string modelId)
    {
        string model = FoundationModelId.Of(modelId);
        return model.StartsWith("amazon.titan-embed-text-v2", StringComparison.Ordinal) ? TitanV2
            : model.StartsWith("cohere.embed-v4", StringComparison.Ordinal) ? CohereV4
            : model.StartsWith("cohere.embed-english-v3", StringComparison.Ordinal)
              || model.StartsWith("cohere.embed-multilingual-v3", StringComparison.Ordinal) ? CohereV3
            : null;
    }

    /// <summary>The family's model ids the docs name, for messages and the model listing.</summary>
    public static readonly string[] KnownModels =
    [
        "amazon.titan-embed-text-v2:0",
        "cohere.embed-english-v3",
        "cohere.embed-multilingual-v3",
        "cohere.embed-v4:0",
    ];

    public bool IsTitan => TextsPerCall == 1;
}
