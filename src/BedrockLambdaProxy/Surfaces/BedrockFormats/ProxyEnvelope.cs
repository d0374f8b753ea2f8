using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.BedrockFormats;

/// <summary>
/// The proxy's own request envelope: <c>{"modelId" (or "model"), "stream": bool, …Bedrock body}</c>.
/// Reads only those fields and forwards every other top-level property as the exact bytes the
/// caller sent (sliced out of the body, never re-serialised), in the original order.
/// </summary>
internal sealed record ProxyEnvelope(string ModelId, bool Stream, ReadOnlyMemory<byte> UpstreamBody, long MaxOutputTokens)
{
    public static bool TryRead(ReadOnlyMemory<byte> body, out ProxyEnvelope? envelope, out ApiError? error)
    {
        envelope = null;
        if (!JsonBody.TryParseObject(body, out JsonDocument? document, out error))
        {
            return false;
        }
        using (document)
        {
            JsonElement root = document!.RootElement;
            bool modelFromModelField = !root.TryGetProperty("modelId", out _) && root.TryGetProperty("model", out _);
            if (!JsonBody.TryGetString(root, modelFromModelField ? "model" : "modelId", out string? modelId, out error))
            {
                return false;
            }
            if (string.IsNullOrEmpty(modelId))
            {
                error = ApiError.BadRequest("The request needs \"modelId\" (or \"model\"): the Bedrock model id, inference profile or ARN to call.");
                return false;
            }

            bool stream = false;
            if (root.TryGetProperty("stream", out JsonElement streamElement))
            {
                if (streamElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = ApiError.BadRequest("\"stream\" must be true or false.");
                    return false;
                }
                stream = streamElement.GetBoolean();
            }

            if (!MaxTokensField.TryRead(root, out long reserved, out error))
            {
                return false;
            }
            string[] strip = modelFromModelField ? ["model", "stream"] : ["modelId", "stream"];
            envelope = new ProxyEnvelope(modelId, stream, Without(body, strip), reserved);
            return true;
        }
    }

    /// <summary>Copies the object minus the named top-level properties, as raw slices of the original bytes.</summary>
    internal static ReadOnlyMemory<byte> Without(ReadOnlyMemory<byte> json, IReadOnlyCollection<string> names)
    {
        var output = new ArrayBufferWriter<byte>(json.Length);
        output.Write("{"u8);
        bool first = true;
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        reader.Read(); // StartObject: the caller checked the body is an object.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // TokenStartIndex of a property name points at its opening quote.
            int start = (int)reader.TokenStartIndex;
            bool drop = false;
            foreach (string name in names)
            {
                if (reader.ValueTextEquals(name))
                {
                    drop = true;
                    break;
                }
            }
            reader.Read();
            reader.Skip();
            int end = (int)reader.BytesConsumed;
            if (drop)
            {
                continue;
            }
            if (!first)
            {
                output.Write(","u8);
            }
            output.Write(json.Span[start..end]);
            first = false;
        }
        output.Write("}"u8);
        return output.WrittenMemory;
    }
}
