using System.Text.Json.Nodes;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// The corpus's rows for <c>POST /v1/embeddings</c>, a table of their own: the generic mutations that fit a body with no
/// answer cap and no stream flag (auth, model ids in the body, body structure, size, methods, content types), plus
/// OpenAI's embeddings parameters of the wrong type or value (each a 400 from the proxy) and the inputs only Bedrock
/// refuses (relayed). docs/OPENAI.md lists what is checked.
/// </summary>
internal static class EmbeddingsCorpus
{
    public static IReadOnlyList<CorpusSurface> Surfaces { get; } =
    [
        new("openai-embeddings-titan", "/v1/embeddings", BodyFamily.TitanEmbeddings, Envelope: false, Stream: false, ErrorShape.OpenAi),
        new("openai-embeddings-cohere", "/v1/embeddings", BodyFamily.CohereEmbeddings, Envelope: false, Stream: false, ErrorShape.OpenAi),
    ];

    private static bool Titan(CorpusSurface s) => s.Family == BodyFamily.TitanEmbeddings;

    private static bool Cohere(CorpusSurface s) => s.Family == BodyFamily.CohereEmbeddings;

    /// <summary>A parameter set to a value OpenAI's API (or the model family) refuses: the proxy answers 400 naming it.</summary>
    private static CorpusMutation Param(string name, string param, JsonNode? value, string message, Func<CorpusSurface, bool>? appliesTo = null) =>
        new(name, "embeddings", _ => Outcome.Proxy, r => r.Body[param] = value?.DeepClone(), 400, message, appliesTo);

    private static CorpusMutation Input(string name, JsonNode? value, string message) => Param(name, "input", value, message);

    /// <summary>The generic rows that make sense for a body with no max-tokens field, no stream flag and its model in the body.</summary>
    private static IEnumerable<CorpusMutation> Generic() => CorpusTables.Mutations.Where(m =>
        m.Category is "auth" or "method" or "content-type"
        || (m.Category == "model-id" && m.AppliesTo is null)
        // duplicate-key repeats "messages", which this body does not have.
        || (m.Category == "body" && m.Name != "duplicate-key")
        || m.Name == "over-limit");

    public static IReadOnlyList<CorpusMutation> Mutations { get; } =
    [
        .. Generic(),
        Param("model-number", "model", 7, "Invalid type for 'model'"),
        Param("model-null", "model", null, "you must provide a model parameter"),
        Param("model-chat", "model", "amazon.nova-lite-v1:0", "not an embedding model"),
        Input("token-ids", new JsonArray(1, 2, 3), "token ids"),
        Input("token-id-arrays", new JsonArray(new JsonArray(1, 2), new JsonArray(3)), "token ids"),
        Input("empty-string", "", "must not be empty"),
        Input("empty-array", new JsonArray(), "must not be empty"),
        Input("empty-item", new JsonArray("a", ""), "must not be empty"),
        Input("number", 5, "Invalid type for 'input'"),
        Input("object", new JsonObject { ["text"] = "x" }, "Invalid type for 'input'"),
        Input("null-item", new JsonArray("a", null), "Invalid type for 'input[1]'"),
        Input("null", null, "you must provide an input parameter"),
        Input("too-many", new JsonArray([.. Enumerable.Range(0, 2049).Select(_ => (JsonNode)"a")]), "at most 2048"),
        Param("encoding-binary", "encoding_format", "binary", "Invalid value for 'encoding_format'"),
        Param("encoding-number", "encoding_format", 1, "Invalid type for 'encoding_format'"),
        Param("dimensions-string", "dimensions", "256", "Invalid type for 'dimensions'"),
        Param("dimensions-fraction", "dimensions", 256.5, "Invalid type for 'dimensions'"),
        Param("dimensions-unsupported", "dimensions", 300, "does not take dimensions=300"),
        Param("user-number", "user", 7, "Invalid type for 'user'"),
        Param("unknown-parameter", "temperature", 0.5, "Unrecognized request argument supplied: temperature"),
        Param("input-type-on-titan", "input_type", "search_query", "applies to Cohere Embed models only", Titan),
        Param("input-type-unknown", "input_type", "rerank", "Invalid value for 'input_type'", Cohere),
        Param("input-type-number", "input_type", 1, "Invalid type for 'input_type'", Cohere),
        Param("normalize-on-cohere", "normalize", false, "applies to Titan Text Embeddings V2 only", Cohere),
        Param("normalize-string", "normalize", "no", "Invalid type for 'normalize'", Titan),

        // Inputs the proxy passes on and Bedrock refuses (the simulator in Bedrock's words, relayed).
        new("titan-input-too-long", "bedrock", _ => Outcome.Bedrock, r => r.Body["input"] = new string('x', 50_001), 400,
            "#/inputText: expected maxLength: 50000, actual: 50001", Titan),
        new("cohere-text-too-long", "bedrock", _ => Outcome.Bedrock, r => r.Body["input"] = new JsonArray(new string('x', 2049)), 400,
            "expected maxLength: 2048, actual: 2049", Cohere),
    ];
}
