using System.Globalization;
using System.Text.Json;
using BedrockSimulator.Scripts;
using BedrockSimulator.Wire;

namespace BedrockSimulator.Surfaces;

/// <summary>
/// InvokeModel on an embedding model: Titan Text Embeddings V2 (<c>embedding</c>, <c>inputTextTokenCount</c>,
/// <c>embeddingsByType</c>) and Cohere Embed v3 / v4 (<c>id</c>, <c>embeddings</c>, <c>response_type</c>, <c>texts</c>),
/// with the input token count in <c>X-Amzn-Bedrock-Input-Token-Count</c> for both (sources in
/// <see cref="Validation.EmbeddingSchema"/>). Input tokens: <see cref="TokenRules.InputTokens"/> of the texts of the call.
/// </summary>
internal static class EmbeddingSurface
{
    /// <summary>The input tokens one valid body costs.</summary>
    public static int InputTokens(EmbeddingModel model, JsonElement root) => TokenRules.InputTokens(Texts(model, root));

    /// <summary>The spec of the first text of the call written <c>fault.&lt;spec&gt;</c> (e.g. <c>fault.hang</c>); null when there is none.</summary>
    public static string? TextFault(EmbeddingModel model, JsonElement root) =>
        Texts(model, root).FirstOrDefault(t => t.StartsWith("fault.", StringComparison.Ordinal)) is string text ? text["fault.".Length..] : null;

    public static Task AnswerAsync(SimulatorRequest request, EmbeddingModel model, JsonElement root, int inputTokens)
    {
        List<string> texts = Texts(model, root);
        byte[] body = model.Family == EmbeddingModel.Titan ? Titan(model, root, texts[0], inputTokens) : Cohere(model, root, texts);
        var headers = request.Context.Response.Headers;
        headers["X-Amzn-Bedrock-Input-Token-Count"] = inputTokens.ToString(CultureInfo.InvariantCulture);
        headers["X-Amzn-Bedrock-Invocation-Latency"] = request.ElapsedMs.ToString(CultureInfo.InvariantCulture);
        return AwsResponses.WriteJsonAsync(request.Context, body, request.Aborted);
    }

    private static byte[] Titan(EmbeddingModel model, JsonElement root, string text, int inputTokens)
    {
        int dimensions = root.TryGetProperty("dimensions", out JsonElement d) ? d.GetInt32() : model.DefaultDimensions;
        bool normalize = !root.TryGetProperty("normalize", out JsonElement n) || n.GetBoolean();
        float[] vector = EmbeddingVectors.For(text, "titan", dimensions, normalize);
        List<string> types = Types(root, "embeddingTypes");
        return JsonBytes.Write(w =>
        {
            WriteVector(w, "embedding", vector);
            w.WriteNumber("inputTextTokenCount", inputTokens);
            w.WriteStartObject("embeddingsByType");
            if (types.Count == 0 || types.Contains("float"))
            {
                WriteVector(w, "float", vector);
            }
            if (types.Contains("binary"))
            {
                w.WriteStartArray("binary");
                foreach (float value in vector)
                {
                    w.WriteNumberValue(value > 0 ? 1 : 0);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }

    /// <summary>Without <c>embedding_types</c> the vectors are a plain array (<c>embeddings_floats</c>); with it, an object by type (<c>embeddings_by_type</c>).</summary>
    private static byte[] Cohere(EmbeddingModel model, JsonElement root, List<string> texts)
    {
        int dimensions = root.TryGetProperty("output_dimension", out JsonElement d) ? d.GetInt32() : model.DefaultDimensions;
        string inputType = root.GetProperty("input_type").GetString()!;
        float[][] vectors = [.. texts.Select(t => EmbeddingVectors.For(t, model.Family + "/" + inputType, dimensions, normalize: true))];
        List<string> types = Types(root, "embedding_types");
        return JsonBytes.Write(w =>
        {
            w.WriteString("id", Guid.NewGuid().ToString());
            if (types.Count == 0)
            {
                WriteVectors(w, "embeddings", vectors, v => v);
                w.WriteString("response_type", "embeddings_floats");
            }
            else
            {
                w.WriteStartObject("embeddings");
                foreach (string type in types)
                {
                    // Quantized types: a plausible scaling of the float vector; only the float values are meant to be compared.
                    WriteVectors(w, type, vectors, type switch
                    {
                        "float" => v => v,
                        "int8" => v => MathF.Round(v * 127),
                        "uint8" => v => MathF.Round((v + 1) * 127.5f),
                        _ => v => v > 0 ? 1 : 0,
                    });
                }
                w.WriteEndObject();
                w.WriteString("response_type", "embeddings_by_type");
            }
            w.WriteStartArray("texts");
            foreach (string text in texts)
            {
                w.WriteStringValue(text);
            }
            w.WriteEndArray();
        });
    }

    private static List<string> Texts(EmbeddingModel model, JsonElement root) =>
        model.Family == EmbeddingModel.Titan
            ? [root.GetProperty("inputText").GetString()!]
            : root.TryGetProperty("texts", out JsonElement texts) ? [.. texts.EnumerateArray().Select(t => t.GetString()!)] : [];

    private static List<string> Types(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement types) ? [.. types.EnumerateArray().Select(t => t.GetString()!)] : [];

    private static void WriteVector(Utf8JsonWriter w, string name, float[] vector)
    {
        w.WriteStartArray(name);
        foreach (float value in vector)
        {
            w.WriteNumberValue(value);
        }
        w.WriteEndArray();
    }

    private static void WriteVectors(Utf8JsonWriter w, string name, float[][] vectors, Func<float, float> map)
    {
        w.WriteStartArray(name);
        foreach (float[] vector in vectors)
        {
            w.WriteStartArray();
            foreach (float value in vector)
            {
                w.WriteNumberValue(map(value));
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
