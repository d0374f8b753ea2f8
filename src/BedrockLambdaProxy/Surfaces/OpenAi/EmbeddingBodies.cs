using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Logging;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// The InvokeModel bodies one embeddings request becomes: one per input for Titan (it takes a single
/// <c>inputText</c>), batches of up to 96 <c>texts</c> for Cohere, in input order. Field names per
/// <see cref="EmbeddingFamily"/>'s sources.
/// </summary>
internal static class EmbeddingBodies
{
    /// <summary>One Bedrock call: its body and the inputs it embeds (<c>First</c> .. <c>First + Count - 1</c>).</summary>
    internal readonly record struct Call(ReadOnlyMemory<byte> Body, int First, int Count);

    public static IReadOnlyList<Call> For(EmbeddingsRequest request)
    {
        int size = request.Family.TextsPerCall;
        var calls = new List<Call>((request.Texts.Count + size - 1) / size);
        for (int first = 0; first < request.Texts.Count; first += size)
        {
            int count = Math.Min(size, request.Texts.Count - first);
            ReadOnlyMemory<byte> body = request.Family.IsTitan
                ? Titan(request.Texts[first], request.Dimensions, request.Normalize)
                : Cohere(request, first, count);
            calls.Add(new Call(body, first, count));
        }
        return calls;
    }

    /// <summary><c>{"inputText":…,"dimensions":…,"normalize":…}</c>; <c>dimensions</c> only when the caller chose it (Bedrock's default is 1024).</summary>
    internal static ReadOnlyMemory<byte> Titan(string text, int? dimensions, bool normalize) => Write(json =>
    {
        json.WriteString("inputText", text);
        if (dimensions is int d)
        {
            json.WriteNumber("dimensions", d);
        }
        json.WriteBoolean("normalize", normalize);
    });

    /// <summary>
    /// <c>{"texts":[…],"input_type":…}</c>; v4 also <c>output_dimension</c> when chosen and <c>embedding_types: ["float"]</c>
    /// (v4's page lists the field without a default; float is what the OpenAI answer carries).
    /// </summary>
    private static ReadOnlyMemory<byte> Cohere(EmbeddingsRequest request, int first, int count) => Write(json =>
    {
        json.WriteStartArray("texts");
        for (int i = first; i < first + count; i++)
        {
            json.WriteStringValue(request.Texts[i]);
        }
        json.WriteEndArray();
        json.WriteString("input_type", request.InputType);
        if (request.Family == EmbeddingFamily.CohereV4)
        {
            json.WriteStartArray("embedding_types");
            json.WriteStringValue("float");
            json.WriteEndArray();
            if (request.Dimensions is int d)
            {
                json.WriteNumber("output_dimension", d);
            }
        }
    });

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
