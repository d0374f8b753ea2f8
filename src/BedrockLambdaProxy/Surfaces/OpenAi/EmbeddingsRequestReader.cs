using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Reads <c>POST /v1/embeddings</c> as OpenAI's API checks it: every documented parameter type-checked (a wrong type
/// is a 400 naming the <c>param</c>, <c>user</c> included though the proxy does not use it), unknown parameters refused,
/// and the model family's own limits (its dimensions, its extra fields) checked before Bedrock is called.
/// </summary>
internal static class EmbeddingsRequestReader
{
    /// <summary>OpenAI's own limit on the inputs of one request (its API reference: "2048 dimensions or less").</summary>
    public const int MaxInputs = 2048;

    public static bool TryRead(ReadOnlyMemory<byte> body, out EmbeddingsRequest? request, out ApiError? error)
    {
        request = null;
        if (!JsonBody.TryParseObject(body, out JsonDocument? document, out error))
        {
            return false;
        }
        using (document)
        {
            try
            {
                request = Read(document!.RootElement);
                return true;
            }
            catch (ChatRequestException invalid)
            {
                error = invalid.ToApiError();
            }
            catch (InvalidOperationException)
            {
                error = ChatRequestException.InvalidUnicode;
            }
            return false;
        }
    }

    private static EmbeddingsRequest Read(JsonElement root)
    {
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name is not ("input" or "model" or "encoding_format" or "dimensions" or "user" or "input_type" or "normalize"))
            {
                throw new ChatRequestException(property.Name, $"Unrecognized request argument supplied: {property.Name}", "unknown_parameter");
            }
        }

        string model = root.TryGetProperty("model", out JsonElement modelValue) && modelValue.ValueKind != JsonValueKind.Null
            ? modelValue.ValueKind == JsonValueKind.String ? modelValue.GetString()! : throw ChatRequestException.WrongType("model", "a string", modelValue)
            : throw new ChatRequestException("model", "you must provide a model parameter", "missing_required_parameter");
        if (!ModelId.TryValidate(model, out string modelError))
        {
            throw new ChatRequestException("model", modelError);
        }
        EmbeddingFamily family = EmbeddingFamily.Of(model) ?? throw new ChatRequestException("model",
            $"'{model}' is not an embedding model this proxy can call. Use one of {string.Join(", ", EmbeddingFamily.KnownModels)} "
            + "(or a cross-region profile or ARN naming one).", "model_not_found");

        IReadOnlyList<string> texts = Texts(root);

        string? encoding = OptionalString(root, "encoding_format");
        if (encoding is not (null or "float" or "base64"))
        {
            throw new ChatRequestException("encoding_format", $"Invalid value for 'encoding_format': '{encoding}'. Supported values are: 'float' and 'base64'.");
        }
        _ = OptionalString(root, "user");

        int? dimensions = null;
        if (root.TryGetProperty("dimensions", out JsonElement dims) && dims.ValueKind != JsonValueKind.Null)
        {
            if (dims.ValueKind != JsonValueKind.Number || !dims.TryGetInt32(out int d))
            {
                throw ChatRequestException.WrongType("dimensions", "an integer", dims);
            }
            if (Array.IndexOf(family.Dimensions, d) < 0)
            {
                throw new ChatRequestException("dimensions",
                    $"'{model}' does not take dimensions={d}; it takes {string.Join(", ", family.Dimensions)} (default {family.DefaultDimensions}).");
            }
            dimensions = d;
        }

        string inputType = "search_document";
        if (OptionalString(root, "input_type") is string chosen)
        {
            if (!family.TakesInputType)
            {
                throw new ChatRequestException("input_type", $"'input_type' applies to Cohere Embed models only, not to '{model}'.", "unsupported_parameter");
            }
            if (Array.IndexOf(EmbeddingFamily.InputTypes, chosen) < 0)
            {
                throw new ChatRequestException("input_type",
                    $"Invalid value for 'input_type': '{chosen}'. Supported values are: {string.Join(", ", EmbeddingFamily.InputTypes)}.");
            }
            inputType = chosen;
        }

        bool normalize = true;
        if (root.TryGetProperty("normalize", out JsonElement norm) && norm.ValueKind != JsonValueKind.Null)
        {
            if (norm.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw ChatRequestException.WrongType("normalize", "a boolean", norm);
            }
            if (!family.TakesNormalize)
            {
                throw new ChatRequestException("normalize", $"'normalize' applies to Titan Text Embeddings V2 only, not to '{model}'.", "unsupported_parameter");
            }
            normalize = norm.GetBoolean();
        }

        return new EmbeddingsRequest(model, family, texts, dimensions, encoding == "base64", normalize, inputType);
    }

    /// <summary><c>input</c>: a string or an array of strings. Token ids (OpenAI's other two shapes) mean nothing to Bedrock's models.</summary>
    private static List<string> Texts(JsonElement root)
    {
        if (!root.TryGetProperty("input", out JsonElement input) || input.ValueKind == JsonValueKind.Null)
        {
            throw new ChatRequestException("input", "you must provide an input parameter", "missing_required_parameter");
        }
        if (input.ValueKind == JsonValueKind.String)
        {
            string text = input.GetString()!;
            return text.Length == 0 ? throw Empty() : [text];
        }
        if (input.ValueKind != JsonValueKind.Array)
        {
            throw ChatRequestException.WrongType("input", "a string or an array of strings", input);
        }
        int count = input.GetArrayLength();
        if (count == 0)
        {
            throw Empty();
        }
        if (count > MaxInputs)
        {
            throw new ChatRequestException("input", $"'input' holds {count} items; at most {MaxInputs} are allowed in one request.");
        }
        var texts = new List<string>(count);
        int index = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    string text = item.GetString()!;
                    texts.Add(text.Length == 0 ? throw Empty($"input[{index}]") : text);
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.Array:
                    throw new ChatRequestException("input",
                        "'input' as token ids (integers, or arrays of integers) is not supported: Bedrock's embedding models take text. Send strings.",
                        "unsupported_value");
                default:
                    throw ChatRequestException.WrongType($"input[{index}]", "a string", item);
            }
            index++;
        }
        return texts;
    }

    private static ChatRequestException Empty(string param = "input") =>
        new(param, $"'{param}' must not be empty: send at least one non-empty string.");

    private static string? OptionalString(JsonElement root, string name) =>
        !root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw ChatRequestException.WrongType(name, "a string", value);
}
