using System.Collections.Frozen;
using System.Text.Json;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatParameterUse;
using static BedrockLambdaProxy.Surfaces.OpenAi.ParamChecks;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Every top-level parameter OpenAI documents for <c>POST /v1/chat/completions</c> (its OpenAPI document,
/// <c>CreateChatCompletionRequest</c>, read 2026-12-05), each with OpenAI's type check and what the proxy does with
/// it. A wrong type is a 400 naming the parameter even when the proxy ignores the parameter, as OpenAI answers it; a
/// name not in the table is refused as OpenAI refuses it ("Unrecognized request argument supplied"). The messages'
/// own shapes are checked where <see cref="ChatMessagesTranslator"/> walks them, the tools' consistency in
/// <see cref="ChatToolsTranslator"/>, so the body is walked once. docs/OPENAI.md "What is validated" is this table.
/// </summary>
internal static class ChatParameters
{
    private static readonly ParamCheck TextPart = Obj(Req("type", OneOf("text")), Req("text", Str));

    /// <summary>A string, or an array of at least one text part (system, developer and tool messages, <c>prediction</c>).</summary>
    internal static readonly ParamCheck TextContent =
        Either("a string or an array of text parts", JsonValueKind.String, Str, JsonValueKind.Array, ArrayOf(TextPart, min: 1));

    private static readonly ParamCheck Function = Obj(
        Req("name", Name), Opt("description", Str), Opt("parameters", AnyObject), Opt("strict", Bool));

    private static readonly ParamCheck Tool = Obj(
        Req("type", OneOf("function", "custom")),
        Opt("function", Function),
        Opt("custom", Obj(Req("name", Name), Opt("description", Str), Opt("format", AnyObject))));

    private static readonly ParamCheck ToolChoice = Either("a string or an object",
        JsonValueKind.String, OneOf("none", "auto", "required"),
        JsonValueKind.Object, Obj(
            Req("type", OneOf("function", "allowed_tools", "custom")),
            Opt("function", Obj(Req("name", Str))),
            Opt("allowed_tools", Obj(Req("mode", OneOf("auto", "required")), Req("tools", ArrayOf(AnyObject)))),
            Opt("custom", Obj(Req("name", Str)))));

    private static readonly ParamCheck ResponseFormat = Obj(
        Req("type", OneOf("text", "json_schema", "json_object")),
        Opt("json_schema", Obj(Req("name", Name), Opt("description", Str), Opt("schema", AnyObject), Opt("strict", Bool))));

    private static readonly ParamCheck Audio = Obj(
        Req("voice", Either("a string or an object", JsonValueKind.String, Str, JsonValueKind.Object, Obj(Req("id", Str)))),
        Req("format", OneOf("wav", "aac", "mp3", "flac", "opus", "pcm16")));

    private static readonly ParamCheck WebSearch = Obj(
        Opt("user_location", Obj(
            Req("type", OneOf("approximate")),
            Req("approximate", Obj(Opt("country", Str), Opt("region", Str), Opt("city", Str), Opt("timezone", Str))))),
        Opt("search_context_size", OneOf("low", "medium", "high")));

    private static readonly ChatParameter[] Rows =
    [
        new("model", Str, Translated),
        new("messages", ArrayOf(Any, min: 1), Translated),
        new("stream", Bool, Translated),
        new("stream_options", Obj(Opt("include_usage", Bool), Opt("include_obfuscation", Bool)), Translated),
        new("max_completion_tokens", Integer(1, int.MaxValue), Translated),
        new("max_tokens", Integer(1, int.MaxValue), Translated),
        new("temperature", Number(0, 2), Translated),
        new("top_p", Number(0, 1), Translated),
        new("stop", Either("a string or an array of strings", JsonValueKind.String, Str, JsonValueKind.Array, ArrayOf(Str, min: 1, max: 4)), Translated),
        new("tools", ArrayOf(Tool, min: 1), Translated),
        new("tool_choice", ToolChoice, Translated),
        new("parallel_tool_calls", Bool, Translated),
        new("response_format", ResponseFormat, Translated),
        // OpenAI's enum; ReasoningEffortMap maps none..high per model family and refuses the rest by name.
        new("reasoning_effort", OneOf("none", "minimal", "low", "medium", "high", "xhigh", "max"), Translated),

        new("n", Integer(1, 128), NeutralOnly),
        new("logprobs", Bool, NeutralOnly),
        new("top_logprobs", Integer(0, 20), NeutralOnly),
        new("presence_penalty", Number(-2, 2), NeutralOnly),
        new("frequency_penalty", Number(-2, 2), NeutralOnly),
        new("logit_bias", MapOf(Integer(-100, 100)), NeutralOnly),
        new("modalities", ArrayOf(OneOf("text", "audio")), NeutralOnly),

        new("user", Str, Ignored),
        new("safety_identifier", Text(64), Ignored),
        new("prompt_cache_key", Str, Ignored),
        new("prompt_cache_retention", OneOf("in_memory", "24h"), Ignored),
        new("prompt_cache_options", Obj(Opt("ttl", OneOf("30m")), Opt("mode", OneOf("implicit", "explicit"))), Ignored),
        new("store", Bool, Ignored),
        new("metadata", MapOf(Text(512), maxKeys: 16, maxKeyLength: 64), Ignored),
        new("service_tier", OneOf("auto", "default", "flex", "scale", "priority", "fast"), Ignored),
        new("seed", Integer(long.MinValue, long.MaxValue), Ignored),
        new("prediction", Obj(Req("type", OneOf("content")), Req("content", TextContent)), Ignored),

        new("verbosity", OneOf("low", "medium", "high"), Refused, "'verbosity' has no Converse equivalent on this proxy."),
        new("audio", Audio, Refused, "Audio output is not supported by this proxy."),
        new("web_search_options", WebSearch, Refused, "Web search is not supported by this proxy."),
        new("moderation", Obj(Req("model", Str), Opt("policy", Any)), Refused,
            "Moderation is not supported by this proxy; use a Bedrock guardrail (X-Amzn-Bedrock-GuardrailIdentifier)."),
        new("functions", ArrayOf(Function, min: 1, max: 128), Refused, "'functions' is deprecated and not supported here; use 'tools'."),
        new("function_call", Either("a string or an object", JsonValueKind.String, OneOf("none", "auto"), JsonValueKind.Object, Obj(Req("name", Str))),
            Refused, "'function_call' is deprecated and not supported here; use 'tool_choice'."),
    ];

    private static readonly FrozenDictionary<string, ChatParameter> ByName = Rows.ToFrozenDictionary(row => row.Name, StringComparer.Ordinal);

    /// <summary>The table, for docs and tests.</summary>
    public static IReadOnlyList<ChatParameter> All => Rows;

    /// <summary>
    /// One pass over the top-level members: unknown names, wrong types and refused parameters are 400s. JSON null is
    /// "not set" (OpenAI's parameters are nullable and several clients send explicit nulls).
    /// </summary>
    public static void Check(JsonElement root)
    {
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!ByName.TryGetValue(property.Name, out ChatParameter? parameter))
            {
                throw new ChatRequestException(property.Name, $"Unrecognized request argument supplied: {property.Name}", "unknown_parameter");
            }
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            parameter.Check(property.Value, property.Name);
            if (parameter.Use == Refused)
            {
                throw ChatRequestException.Unsupported(property.Name, parameter.Refusal!);
            }
        }
    }
}
