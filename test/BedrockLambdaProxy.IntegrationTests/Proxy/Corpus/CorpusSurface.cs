using System.Text.Json.Nodes;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// One way into the proxy, as a row of <see cref="CorpusTables.Surfaces"/>: where it is, which body family it
/// takes, whether the body carries the proxy's envelope (modelId + stream) and which error shape it answers in.
/// A new surface is one more row.
/// </summary>
internal sealed record CorpusSurface(string Name, string PathTemplate, BodyFamily Family, bool Envelope, bool Stream, ErrorShape Shape)
{
    /// <summary>The path for a model id already escaped for a path segment (or mangled on purpose).</summary>
    public string Path(string escapedModel) => PathTemplate.Replace("{model}", escapedModel, StringComparison.Ordinal);

    public bool ModelInPath => PathTemplate.Contains("{model}", StringComparison.Ordinal);

    /// <summary>A body real Bedrock accepts for this surface (the corpus's baseline: each mutation breaks one thing).</summary>
    public JsonObject ValidBody(string model)
    {
        JsonObject body = Family.Valid();
        if (Envelope || !ModelInPath)
        {
            body[Family.ModelField] = model;
        }
        if (Envelope)
        {
            body["stream"] = Stream;
        }
        return body;
    }

    /// <summary>The object that holds the answer cap the proxy reserves against.</summary>
    public JsonObject MaxTokensParent(JsonObject body) => Family.MaxTokensParent is string parent ? body[parent]!.AsObject() : body;

    public string MaxTokensName => Family.MaxTokensName;

    /// <summary>The model id a case on this surface uses: unique, so the simulator's per-model ledger tells cases apart.</summary>
    public string CaseModel(int caseNumber) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Family.ModelTemplate, caseNumber);

    public override string ToString() => Name;
}
