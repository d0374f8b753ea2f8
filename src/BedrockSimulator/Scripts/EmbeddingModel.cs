namespace BedrockSimulator.Scripts;

/// <summary>An embedding model the simulator serves, picked from the model id: its family and the dimensions it takes.</summary>
internal sealed record EmbeddingModel(string Family, int[] Dimensions, int DefaultDimensions)
{
    public const string Titan = "titan";
    public const string CohereV3 = "cohere-v3";
    public const string CohereV4 = "cohere-v4";

    /// <summary>The family of an id containing <c>titan-embed-text-v2</c>, <c>cohere.embed-v4</c> or another <c>cohere.embed-</c>; null otherwise.</summary>
    public static EmbeddingModel? Of(string modelId) =>
        modelId.Contains("titan-embed-text-v2", StringComparison.Ordinal) ? new(Titan, [256, 512, 1024], 1024)
        : modelId.Contains("cohere.embed-v4", StringComparison.Ordinal) ? new(CohereV4, [256, 512, 1024, 1536], 1536)
        : modelId.Contains("cohere.embed-", StringComparison.Ordinal) ? new(CohereV3, [1024], 1024)
        : null;
}
