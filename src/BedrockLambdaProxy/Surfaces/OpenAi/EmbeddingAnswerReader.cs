using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// The vectors in one InvokeModel answer of an embedding model. Titan answers <c>embedding</c> (and
/// <c>embeddingsByType.float</c>); Cohere answers <c>embeddings</c>, an array of vectors
/// (<c>response_type: embeddings_floats</c>) or, when <c>embedding_types</c> was sent, an object whose
/// <c>float</c> holds them (<c>embeddings_by_type</c>). Values are read as float32, the precision OpenAI's
/// base64 encoding carries, so both encodings of one answer agree exactly.
/// </summary>
internal static class EmbeddingAnswerReader
{
    /// <summary>The answer's vectors, or null when it does not hold <paramref name="expected"/> of them in a shape named above.</summary>
    public static float[][]? Read(ReadOnlySpan<byte> body, bool titan, int expected)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            float[][]? vectors = titan ? Titan(root) : Cohere(root);
            return vectors is not null && vectors.Length == expected ? vectors : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Titan's <c>inputTextTokenCount</c>, used only when the token-count header is missing.</summary>
    public static long? TitanInputTokens(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("inputTextTokenCount", out JsonElement count)
                && count.TryGetInt64(out long n) ? n : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static float[][]? Titan(JsonElement root)
    {
        if (root.TryGetProperty("embedding", out JsonElement embedding) && Vector(embedding) is { } vector)
        {
            return [vector];
        }
        return root.TryGetProperty("embeddingsByType", out JsonElement byType) && byType.ValueKind == JsonValueKind.Object
            && byType.TryGetProperty("float", out JsonElement floats) && Vector(floats) is { } typed
            ? [typed]
            : null;
    }

    private static float[][]? Cohere(JsonElement root)
    {
        if (!root.TryGetProperty("embeddings", out JsonElement embeddings))
        {
            return null;
        }
        if (embeddings.ValueKind == JsonValueKind.Object && !embeddings.TryGetProperty("float", out embeddings))
        {
            return null;
        }
        if (embeddings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var vectors = new float[embeddings.GetArrayLength()][];
        int i = 0;
        foreach (JsonElement item in embeddings.EnumerateArray())
        {
            if (Vector(item) is not { } vector)
            {
                return null;
            }
            vectors[i++] = vector;
        }
        return vectors;
    }

    private static float[]? Vector(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var vector = new float[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement value in array.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out float f))
            {
                return null;
            }
            vector[i++] = f;
        }
        return vector.Length > 0 ? vector : null;
    }
}
