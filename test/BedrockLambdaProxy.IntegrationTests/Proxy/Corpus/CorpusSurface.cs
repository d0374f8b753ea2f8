using System.Text.Json.Nodes;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// One way into the proxy, as a row of <see cref="CorpusTables.Surfaces"/>: where it is, which body family it
/// takes, whether the body carries the proxy's envelope (modelId + stream) and which error shape it answers in.
/// A new surface (the OpenAI one) is one more row.
/// </summary>
internal sealed record CorpusSurface(string Name, string PathTemplate, BodyFamily Family, bool Envelope, bool Stream, ErrorShape Shape)
{
    /// <summary>The path for a model id already escaped for a path segment (or mangled on purpose).</summary>
    public string Path(string escapedModel) => PathTemplate.Replace("{model}", escapedModel, StringComparison.Ordinal);

    public bool ModelInPath => PathTemplate.Contains("{model}", StringComparison.Ordinal);

    /// <summary>A body real Bedrock accepts for this surface (the corpus's baseline: each mutation breaks one thing).</summary>
    public JsonObject ValidBody(string model)
    {
        JsonObject body = Family switch
        {
            BodyFamily.Anthropic => new JsonObject
            {
                ["anthropic_version"] = "bedrock-2023-05-31",
                ["max_tokens"] = 100,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hello there" }) }),
            },
            _ => new JsonObject
            {
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["text"] = "Hello there" }) }),
                ["inferenceConfig"] = new JsonObject { ["maxTokens"] = 100 },
            },
        };
        if (Envelope)
        {
            body["modelId"] = model;
            body["stream"] = Stream;
        }
        return body;
    }

    /// <summary>Where this family keeps the answer cap the proxy reserves against.</summary>
    public JsonObject MaxTokensParent(JsonObject body) => Family == BodyFamily.Anthropic ? body : body["inferenceConfig"]!.AsObject();

    public string MaxTokensName => Family == BodyFamily.Anthropic ? "max_tokens" : "maxTokens";

    /// <summary>The model id a case on this surface uses: unique, so the simulator's per-model ledger tells cases apart.</summary>
    public string CaseModel(int caseNumber) => Family == BodyFamily.Anthropic
        ? $"anthropic.claude-corpus{caseNumber}-v1:0"
        : $"amazon.nova-corpus{caseNumber}-v1:0";

    public override string ToString() => Name;
}
