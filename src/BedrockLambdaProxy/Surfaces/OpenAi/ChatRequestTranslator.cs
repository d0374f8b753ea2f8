using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Translates an OpenAI chat completion request into a Converse request (docs/OPENAI.md has the
/// table). Reads with JsonDocument and writes with Utf8JsonWriter: a translation, not a
/// re-serialisation, and no reflection. Every parameter is first type-checked as OpenAI checks it
/// (<see cref="ChatParameters"/>); a parameter Converse cannot honour is then a 400 naming it, unless
/// ignoring it cannot change the answer (<see cref="ChatParameterUse.Ignored"/>).
/// </summary>
internal static class ChatRequestTranslator
{
    public static bool TryTranslate(ReadOnlyMemory<byte> body, out ChatRequest? request, out ApiError? error)
    {
        request = null;
        if (!JsonBody.TryParseObject(body, out JsonDocument? document, out error))
        {
            return false;
        }
        var owned = new List<JsonDocument>();
        try
        {
            request = Translate(document!.RootElement, owned);
            return true;
        }
        catch (ChatRequestException invalid)
        {
            error = invalid.ToApiError();
            return false;
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString throws this for escapes that decode to no valid text (a lone surrogate).
            error = ChatRequestException.InvalidUnicode;
            return false;
        }
        finally
        {
            foreach (JsonDocument parsed in owned)
            {
                parsed.Dispose();
            }
            document!.Dispose();
        }
    }

    private static ChatRequest Translate(JsonElement root, List<JsonDocument> owned)
    {
        ChatParameters.Check(root);
        string model = Get(root, "model") is { } m ? m.GetString()! : "";
        if (model.Length == 0)
        {
            throw new ChatRequestException("model", "The request needs 'model': a Bedrock model id or inference profile (GET /v1/models lists yours).", "missing_required_parameter");
        }
        if (!ModelId.TryValidate(model, out string badModel))
        {
            throw new ChatRequestException("model", badModel);
        }
        RefuseMeaningChanging(root);
        ReasoningPlan? reasoning = ReasoningEffortMap.Plan(model, root);

        bool stream = Bool(root, "stream") ?? false;
        bool includeUsage = false;
        if (Get(root, "stream_options") is { } options)
        {
            if (!stream)
            {
                throw new ChatRequestException("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
            }
            includeUsage = Bool(options, "include_usage") ?? false;
        }
        CheckResponseFormat(root);

        var buffer = new ArrayBufferWriter<byte>(1024);
        long maxTokens;
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            // Decided first: without a toolConfig, Converse refuses toolUse / toolResult blocks, so the history's tool
            // calls are then written as text (tool_choice "none", or no tools given with a tool history).
            bool toolConfig = ChatToolsTranslator.WritesToolConfig(root);
            ChatMessagesTranslator.Write(json, Required(root, "messages"), toolConfig, owned);
            maxTokens = WriteInferenceConfig(json, root, reasoning);
            if (toolConfig)
            {
                ChatToolsTranslator.Write(json, root);
            }
            if (reasoning is { HasFields: true })
            {
                json.WriteStartObject("additionalModelRequestFields");
                reasoning.WriteFields(json);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return new ChatRequest(model, stream, includeUsage, buffer.WrittenMemory, maxTokens);
    }

    /// <summary>Values that ask for something Converse cannot do; their neutral values (n 1, penalties 0, …) pass.</summary>
    private static void RefuseMeaningChanging(JsonElement root)
    {
        if (Get(root, "n") is { } n && !(n.TryGetInt32(out int count) && count == 1))
        {
            throw new ChatRequestException("n", "Only one choice per request is supported ('n' must be 1).", "unsupported_parameter");
        }
        if (Bool(root, "logprobs") == true)
        {
            throw new ChatRequestException("logprobs", "Bedrock does not return log probabilities ('logprobs' must be false).", "unsupported_parameter");
        }
        if (Get(root, "top_logprobs") is { } top && top.GetInt64() != 0)
        {
            throw new ChatRequestException("top_logprobs", "Bedrock does not return log probabilities.", "unsupported_parameter");
        }
        foreach (string penalty in (string[])["presence_penalty", "frequency_penalty"])
        {
            if (Get(root, penalty) is { } value && !(value.TryGetDouble(out double d) && d == 0))
            {
                throw new ChatRequestException(penalty, $"Converse has no '{penalty}'; only 0 is accepted.", "unsupported_parameter");
            }
        }
        if (Get(root, "logit_bias") is { } bias && bias.EnumerateObject().Any())
        {
            throw new ChatRequestException("logit_bias", "Converse has no 'logit_bias'.", "unsupported_parameter");
        }
        if (Get(root, "modalities") is { } modalities && !modalities.EnumerateArray().All(x => x.ValueEquals("text")))
        {
            throw new ChatRequestException("modalities", "Only the 'text' output modality is supported.", "unsupported_parameter");
        }
    }

    /// <summary><c>{"type":"text"}</c> is what Converse does anyway; JSON modes have no Converse equivalent.</summary>
    private static void CheckResponseFormat(JsonElement root)
    {
        if (Get(root, "response_format") is not { } format)
        {
            return;
        }
        string type = format.GetProperty("type").GetString()!;
        if (type != "text")
        {
            throw new ChatRequestException("response_format",
                $"response_format type '{type}' is not supported: Converse has no JSON mode. Use tools with a JSON schema, or ask for JSON in the prompt.",
                "unsupported_parameter");
        }
    }

    /// <summary>
    /// Writes <c>inferenceConfig</c> when any of its fields is set; returns maxTokens (0 when unset). Claude's
    /// extended thinking may raise maxTokens above its budget (<see cref="ReasoningPlan.MaxTokens"/>).
    /// </summary>
    private static long WriteInferenceConfig(Utf8JsonWriter json, JsonElement root, ReasoningPlan? reasoning)
    {
        long? requested = PositiveInt(root, "max_completion_tokens") ?? PositiveInt(root, "max_tokens");
        long? maxTokens = reasoning is null ? requested : reasoning.MaxTokens(requested);
        if (PositiveInt(root, "max_completion_tokens") is long a && PositiveInt(root, "max_tokens") is long b && a != b)
        {
            throw new ChatRequestException("max_tokens", "'max_tokens' and 'max_completion_tokens' disagree; send one of them.");
        }
        double? temperature = Number(root, "temperature");
        double? topP = Number(root, "top_p");
        List<string> stops = StopSequences(root);
        if (maxTokens is null && temperature is null && topP is null && stops.Count == 0)
        {
            return 0;
        }
        json.WriteStartObject("inferenceConfig");
        if (maxTokens is long max)
        {
            json.WriteNumber("maxTokens", max);
        }
        if (temperature is double temp)
        {
            json.WriteNumber("temperature", temp);
        }
        if (topP is double p)
        {
            json.WriteNumber("topP", p);
        }
        if (stops.Count > 0)
        {
            json.WriteStartArray("stopSequences");
            foreach (string stop in stops)
            {
                json.WriteStringValue(stop);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        return maxTokens ?? 0;
    }

    /// <summary>The stop sequences; their types and count (1 to 4) are checked by <see cref="ChatParameters"/>.</summary>
    private static List<string> StopSequences(JsonElement root)
    {
        var stops = new List<string>();
        if (Get(root, "stop") is not { } stop)
        {
            return stops;
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            stops.Add(stop.GetString()!);
        }
        else
        {
            foreach (JsonElement item in stop.EnumerateArray())
            {
                stops.Add(item.GetString()!);
            }
        }
        // Converse refuses an empty stop sequence; OpenAI would take it and never match it.
        if (stops.Any(s => s.Length == 0))
        {
            throw new ChatRequestException("stop", "Invalid 'stop': a stop sequence cannot be an empty string on Bedrock.");
        }
        return stops;
    }

    /// <summary>A property, with JSON null treated as absent (several clients send explicit nulls for unset options).</summary>
    internal static JsonElement? Get(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    internal static JsonElement Required(JsonElement parent, string name, string? param = null) =>
        Get(parent, name) ?? throw ChatRequestException.Missing(param ?? name);

    internal static void Expect(JsonElement value, JsonValueKind kind, string param)
    {
        if (value.ValueKind != kind)
        {
            throw ChatRequestException.WrongType(param, Article(kind), value);
        }
    }

    internal static string RequiredString(JsonElement parent, string name, string param)
    {
        JsonElement value = Required(parent, name, param);
        Expect(value, JsonValueKind.String, param);
        return value.GetString()!;
    }

    // The readers below run after ChatParameters.Check, so the kinds and ranges are already right.
    private static bool? Bool(JsonElement parent, string name) =>
        Get(parent, name) is { } value ? value.ValueKind == JsonValueKind.True : null;

    private static long? PositiveInt(JsonElement parent, string name) => Get(parent, name) is { } value ? value.GetInt64() : null;

    private static double? Number(JsonElement parent, string name) => Get(parent, name) is { } value ? value.GetDouble() : null;

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };
}
