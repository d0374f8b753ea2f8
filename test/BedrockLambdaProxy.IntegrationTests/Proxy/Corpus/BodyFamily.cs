using System.Text.Json.Nodes;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// The request body a surface carries: a valid one (the corpus's baseline), where its answer cap lives (the
/// field the proxy reserves tokens against) and the model ids that make the simulator answer in that format.
/// A surface with a new body format adds one instance here and one surface row. <see cref="ModelField"/> is where an
/// enveloped body names its model (the proxy's envelope says <c>modelId</c>, OpenAI's body <c>model</c>).
/// </summary>
internal sealed record BodyFamily(
    string Name, Func<JsonObject> Valid, string? MaxTokensParent, string MaxTokensName, string ModelTemplate, string ModelField = "modelId")
{
    /// <summary>A Converse request (inferenceConfig.maxTokens).</summary>
    public static BodyFamily Converse { get; } = new("converse", () => new JsonObject
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["text"] = "Hello there" }) }),
        ["inferenceConfig"] = new JsonObject { ["maxTokens"] = 100 },
    }, "inferenceConfig", "maxTokens", "amazon.nova-corpus{0}-v1:0");

    /// <summary>An Anthropic Messages InvokeModel body (max_tokens).</summary>
    public static BodyFamily Anthropic { get; } = new("anthropic", () => new JsonObject
    {
        ["anthropic_version"] = "bedrock-2023-05-31",
        ["max_tokens"] = 100,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hello there" }) }),
    }, null, "max_tokens", "anthropic.claude-corpus{0}-v1:0");

    /// <summary>An OpenAI chat completions body (max_tokens), which the proxy translates to Converse.</summary>
    public static BodyFamily OpenAi { get; } = new("openai", () => new JsonObject
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
        ["max_tokens"] = 100,
    }, null, "max_tokens", "amazon.nova-corpus{0}-v1:0", ModelField: "model");

    /// <summary>An Anthropic Messages API body (<c>/v1/messages</c>): the InvokeModel body plus <c>model</c>, minus <c>anthropic_version</c>.</summary>
    public static BodyFamily AnthropicApi { get; } = new("anthropic-api", () => new JsonObject
    {
        ["max_tokens"] = 100,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
    }, null, "max_tokens", "anthropic.claude-corpus{0}-v1:0", ModelField: "model");

    /// <summary>An OpenAI embeddings body for Titan Text Embeddings V2 (no answer cap: embeddings generate nothing).</summary>
    public static BodyFamily TitanEmbeddings { get; } = new("titan-embeddings", () => new JsonObject
    {
        ["input"] = new JsonArray("Hello there", "a b c"),
        ["dimensions"] = 256,
    }, null, "", "amazon.titan-embed-text-v2-corpus{0}:0", ModelField: "model");

    /// <summary>An OpenAI embeddings body for Cohere Embed v3.</summary>
    public static BodyFamily CohereEmbeddings { get; } = new("cohere-embeddings", () => new JsonObject
    {
        ["input"] = new JsonArray("Hello there", "a b c"),
        ["input_type"] = "search_query",
    }, null, "", "cohere.embed-english-v3-corpus{0}", ModelField: "model");

    public override string ToString() => Name;
}
