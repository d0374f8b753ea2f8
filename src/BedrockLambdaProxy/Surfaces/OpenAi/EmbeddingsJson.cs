using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using BedrockLambdaProxy.Logging;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI's embeddings answer: <c>{"object":"list","data":[{"object":"embedding","index":i,"embedding":…}],"model":…,
/// "usage":{"prompt_tokens":n,"total_tokens":n}}</c>, each vector a JSON array of numbers or, for
/// <c>encoding_format: "base64"</c>, the base64 of its float32 values in little-endian order (what the OpenAI
/// SDKs decode, and the Python SDK's default).
/// </summary>
internal static class EmbeddingsJson
{
    public static ReadOnlyMemory<byte> Write(string model, IReadOnlyList<float[]> vectors, bool base64, long promptTokens)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + vectors.Count * (vectors.Count > 0 ? vectors[0].Length : 0) * 12);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            byte[]? scratch = null;
            for (int i = 0; i < vectors.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                if (base64)
                {
                    int length = vectors[i].Length * sizeof(float);
                    if (scratch is null || scratch.Length < length)
                    {
                        scratch = new byte[length];
                    }
                    json.WriteBase64String("embedding", LittleEndianBytes(vectors[i], scratch.AsSpan(0, length)));
                }
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (float value in vectors[i])
                    {
                        // Float32's shortest round-trip text: parsed back as float32 it is the same value the base64 form carries.
                        json.WriteNumberValue(value);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("model", model);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", promptTokens);
            json.WriteNumber("total_tokens", promptTokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>The vector's float32 values as little-endian bytes, whatever the machine's byte order.</summary>
    internal static ReadOnlySpan<byte> LittleEndianBytes(float[] vector, Span<byte> destination)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], vector[i]);
        }
        return destination;
    }
}
