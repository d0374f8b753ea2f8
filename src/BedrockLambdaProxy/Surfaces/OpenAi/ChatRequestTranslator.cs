using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Translates an OpenAI chat completion request into a Converse request (docs/OPENAI.md has the
/// table). Reads with JsonDocument and writes with Utf8JsonWriter: a translation, not a
/// re-serialisation, and no reflection. A parameter Converse cannot honour is a 400 naming it,
/// unless ignoring it cannot change the answer (<see cref="Ignored"/>).
/// </summary>
internal static class ChatRequestTranslator
{
    /// <summary>Accepted and ignored: they label, store or tune the request but never change what the model is asked.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "user", "safety_identifier", "prompt_cache_key", "store", "metadata", "service_tier", "seed", "prediction",
    };

    /// <summary>Known to OpenAI and meaningful, but with no Converse equivalent: refused by name.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["functions"] = "'functions' is deprecated and not supported here; use 'tools'.",
        ["function_call"] = "'function_call' is deprecated and not supported here; use 'tool_choice'.",
        ["audio"] = "Audio output is not supported by this proxy.",
        ["verbosity"] = "'verbosity' has no Converse equivalent on this proxy.",
        ["web_search_options"] = "Web search is not supported by this proxy.",
    };

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
            error = ApiError.BadRequest(invalid.Message) with { Param = invalid.Param, Code = invalid.Code };
            return false;
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString throws this for escapes that decode to no valid text (a lone surrogate such as
            // "\ud800"); every other JsonElement access here is guarded by a kind check, so this is the caller's error.
            error = ApiError.BadRequest("The request holds a string whose escape sequences are not valid Unicode text.");
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
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!Known(property.Name) && !Ignored.Contains(property.Name))
            {
                throw new ChatRequestException(property.Name, $"Unrecognized request argument supplied: {property.Name}", "unknown_parameter");
            }
            if (Unsupported.TryGetValue(property.Name, out string? why) && property.Value.ValueKind != JsonValueKind.Null)
            {
                throw new ChatRequestException(property.Name, why, "unsupported_parameter");
            }
        }

        if (Get(root, "model") is { ValueKind: not JsonValueKind.String } notText)
        {
            throw new ChatRequestException("model", $"'model' must be a string, not {JsonBody.Describe(notText)}.");
        }
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
                throw new ChatRequestException("stream_options", "'stream_options' is only allowed when 'stream' is true.");
            }
            Expect(options, JsonValueKind.Object, "stream_options");
            includeUsage = Bool(options, "include_usage", "stream_options.include_usage") ?? false;
        }
        CheckResponseFormat(root);

        var buffer = new ArrayBufferWriter<byte>(1024);
        long maxTokens;
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            bool historyHasTools = ChatMessagesTranslator.Write(json, Required(root, "messages"), owned);
            maxTokens = WriteInferenceConfig(json, root, reasoning);
            ChatToolsTranslator.Write(json, root, historyHasTools);
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

    private static bool Known(string name) => name is "model" or "messages" or "stream" or "stream_options" or "max_tokens"
        or "max_completion_tokens" or "temperature" or "top_p" or "stop" or "tools" or "tool_choice" or "parallel_tool_calls"
        or "response_format" or "n" or "logprobs" or "top_logprobs" or "presence_penalty" or "frequency_penalty" or "logit_bias"
        or "modalities" or "reasoning_effort" || Unsupported.ContainsKey(name);

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
        if (Get(root, "top_logprobs") is not null)
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
        if (Get(root, "logit_bias") is { } bias && !(bias.ValueKind == JsonValueKind.Object && !bias.EnumerateObject().Any()))
        {
            throw new ChatRequestException("logit_bias", "Converse has no 'logit_bias'.", "unsupported_parameter");
        }
        if (Get(root, "modalities") is { } modalities
            && !(modalities.ValueKind == JsonValueKind.Array && modalities.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String && x.ValueEquals("text"))))
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
        Expect(format, JsonValueKind.Object, "response_format");
        string type = Get(format, "type") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : "";
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
        double? temperature = Number(root, "temperature", 0, 2);
        double? topP = Number(root, "top_p", 0, 1);
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
        else if (stop.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in stop.EnumerateArray())
            {
                Expect(item, JsonValueKind.String, "stop");
                stops.Add(item.GetString()!);
            }
        }
        else
        {
            throw new ChatRequestException("stop", "'stop' must be a string or an array of strings.");
        }
        if (stops.Count > 4 || stops.Any(s => s.Length == 0))
        {
            throw new ChatRequestException("stop", "'stop' takes up to 4 non-empty strings.");
        }
        return stops;
    }

    /// <summary>A property, with JSON null treated as absent (several clients send explicit nulls for unset options).</summary>
    internal static JsonElement? Get(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    internal static JsonElement Required(JsonElement parent, string name, string? param = null) =>
        Get(parent, name) ?? throw new ChatRequestException(param ?? name, $"'{param ?? name}' is required.", "missing_required_parameter");

    internal static void Expect(JsonElement value, JsonValueKind kind, string param)
    {
        if (value.ValueKind != kind)
        {
            throw new ChatRequestException(param, $"'{param}' must be {Article(kind)}, not {value.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }

    internal static string RequiredString(JsonElement parent, string name, string param)
    {
        JsonElement value = Required(parent, name, param);
        Expect(value, JsonValueKind.String, param);
        return value.GetString()!;
    }

    private static bool? Bool(JsonElement parent, string name, string? param = null)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ChatRequestException(param ?? name, $"'{param ?? name}' must be true or false."),
        };
    }

    private static long? PositiveInt(JsonElement parent, string name)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 1 && n <= int.MaxValue
            ? n
            : throw new ChatRequestException(name, $"'{name}' must be an integer from 1 to 2147483647.");
    }

    private static double? Number(JsonElement parent, string name, double min, double max)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && d >= min && d <= max
            ? d
            : throw new ChatRequestException(name, $"'{name}' must be a number from {min} to {max}.");
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };
}
