using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// The proxy's own request envelope: <c>{"modelId" (or "model"), "stream": bool, …Bedrock body}</c>.
/// Reads only those fields and forwards every other top-level property as the exact bytes the
/// caller sent (sliced out of the body, never re-serialised), in the original order.
/// </summary>
internal sealed record ProxyEnvelope(string ModelId, bool Stream, ReadOnlyMemory<byte> UpstreamBody, long ReservedTokens)
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
            string? modelId = null;
            bool modelFromModelField = false;
            if (root.TryGetProperty("modelId", out JsonElement modelIdElement))
            {
                if (modelIdElement.ValueKind != JsonValueKind.String)
                {
                    error = ApiError.BadRequest("\"modelId\" must be a string.");
                    return false;
                }
                modelId = modelIdElement.GetString();
            }
            else if (root.TryGetProperty("model", out JsonElement modelElement))
            {
                if (modelElement.ValueKind != JsonValueKind.String)
                {
                    error = ApiError.BadRequest("\"model\" must be a string.");
                    return false;
                }
                modelId = modelElement.GetString();
                modelFromModelField = true;
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

            string[] strip = modelFromModelField ? ["model", "stream"] : ["modelId", "stream"];
            envelope = new ProxyEnvelope(modelId, stream, Without(body, strip), MaxTokens(root));
            return true;
        }
    }

    /// <summary>The answer's upper bound if the caller set one (Anthropic max_tokens or Converse inferenceConfig.maxTokens); 0 when unknown.</summary>
    internal static long MaxTokens(JsonElement root)
    {
        if (root.TryGetProperty("max_tokens", out JsonElement max) && max.TryGetInt64(out long anthropic) && anthropic > 0)
        {
            return anthropic;
        }
        if (root.TryGetProperty("inferenceConfig", out JsonElement config)
            && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("maxTokens", out JsonElement converseMax)
            && converseMax.TryGetInt64(out long converse) && converse > 0)
        {
            return converse;
        }
        return 0;
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
