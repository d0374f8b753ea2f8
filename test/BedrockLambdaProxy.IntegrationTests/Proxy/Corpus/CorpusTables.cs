using System.Text;
using System.Text.Json.Nodes;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// The malformed-request corpus as data: every surface × every mutation that fits it. The proxy must answer each
/// with a 4xx JSON error (never a 5xx or a hang), and only the <see cref="Outcome.Bedrock"/> rows may reach Bedrock.
/// </summary>
internal static class CorpusTables
{
    public static IReadOnlyList<CorpusSurface> Surfaces { get; } =
    [
        new("seed-invoke", "/invoke", BodyFamily.Anthropic, Envelope: true, Stream: false, ErrorShape.Proxy),
        new("seed-invoke-stream", "/invoke", BodyFamily.Anthropic, Envelope: true, Stream: true, ErrorShape.Proxy),
        new("converse", "/converse", BodyFamily.Converse, Envelope: true, Stream: false, ErrorShape.Proxy),
        new("converse-stream", "/converse", BodyFamily.Converse, Envelope: true, Stream: true, ErrorShape.Proxy),
        new("native-converse", "/model/{model}/converse", BodyFamily.Converse, Envelope: false, Stream: false, ErrorShape.Aws),
        new("native-converse-stream", "/model/{model}/converse-stream", BodyFamily.Converse, Envelope: false, Stream: true, ErrorShape.Aws),
        new("native-invoke", "/model/{model}/invoke", BodyFamily.Anthropic, Envelope: false, Stream: false, ErrorShape.Aws),
        new("native-invoke-stream", "/model/{model}/invoke-with-response-stream", BodyFamily.Anthropic, Envelope: false, Stream: true, ErrorShape.Aws),
        new("openai", "/v1/chat/completions", BodyFamily.OpenAi, Envelope: true, Stream: false, ErrorShape.OpenAi),
        new("openai-stream", "/v1/chat/completions", BodyFamily.OpenAi, Envelope: true, Stream: true, ErrorShape.OpenAi),
        new("anthropic", "/v1/messages", BodyFamily.AnthropicApi, Envelope: true, Stream: false, ErrorShape.Anthropic),
        new("anthropic-stream", "/v1/messages", BodyFamily.AnthropicApi, Envelope: true, Stream: true, ErrorShape.Anthropic),
        new("anthropic-count-tokens", "/v1/messages/count_tokens", BodyFamily.AnthropicApi, Envelope: true, Stream: false, ErrorShape.Anthropic),
    ];

    private static Func<CorpusSurface, Outcome> ByProxy => _ => Outcome.Proxy;

    private static Func<CorpusSurface, Outcome> ByBedrock => _ => Outcome.Bedrock;

    /// <summary>Native InvokeModel passes a body that is not JSON through untouched (its content type says so); Bedrock refuses it.</summary>
    private static Func<CorpusSurface, Outcome> ProxyUnlessOpaqueInvoke =>
        s => s.Family == BodyFamily.Anthropic && !s.Envelope ? Outcome.Bedrock : Outcome.Proxy;

    private static bool Envelope(CorpusSurface s) => s.Envelope;

    private static bool Converse(CorpusSurface s) => s.Family == BodyFamily.Converse;

    private static bool Anthropic(CorpusSurface s) => s.Family == BodyFamily.Anthropic;

    private static bool OpenAi(CorpusSurface s) => s.Family == BodyFamily.OpenAi;

    private static bool AnthropicApi(CorpusSurface s) => s.Family == BodyFamily.AnthropicApi;

    /// <summary>
    /// A Claude Messages body as Bedrock's InvokeModel validates it: the native path's, and /v1/messages' and
    /// /v1/messages/count_tokens' after their translation (CountTokens validates the body it counts).
    /// </summary>
    private static bool ClaudeBody(CorpusSurface s) => Anthropic(s) || AnthropicApi(s);

    /// <summary>The OpenAI surface translates the body, so what Bedrock would refuse untranslated the proxy refuses itself.</summary>
    private static Func<CorpusSurface, Outcome> BedrockUnlessTranslated => s => OpenAi(s) ? Outcome.Proxy : Outcome.Bedrock;

    /// <summary>The proxy's own wording for a field type, per API family (OpenAI's and Anthropic's clients match on theirs).</summary>
    private static Func<CorpusSurface, string?> Worded(string? openAi, string? anthropic = null) =>
        s => OpenAi(s) ? openAi : AnthropicApi(s) ? anthropic : null;

    private static CorpusMutation Auth(string name, Action<List<string>> change, int status = 401, string? message = null) =>
        new(name, "auth", ByProxy, r => change(r.Authorization), status, message);

    private static CorpusMutation Model(string name, string escapedForPath, string forBody) =>
        new(name, "model-id", ByProxy, r => r.SetModel(escapedForPath, forBody), AppliesTo: null);

    private static CorpusMutation Body(string name, Func<CorpusRequest, string> raw, string? message = null) =>
        new(name, "body", ByProxy, r => r.RawBody = Encoding.UTF8.GetBytes(raw(r)), 400, message);

    /// <param name="openAi">OpenAI's words for this value: "Invalid type for 'max_tokens'" or "Invalid 'max_tokens'" (a range).</param>
    private static CorpusMutation MaxTokens(string name, JsonNode? value, string? openAi, Func<CorpusSurface, bool>? appliesTo = null) =>
        new(name, "field", ByProxy, r => r.Surface.MaxTokensParent(r.Body)[r.Surface.MaxTokensName] = value?.DeepClone(), 400,
            "must be an integer from 1 to 2147483647", appliesTo, Worded(openAi));

    /// <summary>OpenAI's API takes an explicit null as "not set" for its optional parameters, and so does the proxy there.</summary>
    private static bool NullIsAnError(CorpusSurface s) => !OpenAi(s);

    /// <summary>A chat completions body the proxy must refuse in OpenAI's words, before Bedrock (issue 24 item 4).</summary>
    private static CorpusMutation Chat(string name, Action<JsonObject> change, string message) =>
        new(name, "openai-chat", ByProxy, r => change(r.Body), 400, message, OpenAi);

    /// <summary>A /v1/messages body the proxy must refuse itself, in Anthropic's error shape.</summary>
    private static CorpusMutation Messages(string name, Action<JsonObject> change, int status, string message) =>
        new(name, "anthropic-api", ByProxy, r => change(r.Body), status, message, AnthropicApi);

    private static JsonObject TopSong(string name = "top_song") => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = name,
            ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"sign":{"type":"string"}}}"""),
        },
    };

    private static JsonArray ToolHistory(params string[] tail) => JsonNode.Parse(
        """[{"role":"user","content":"Top song on WZPZ?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]}"""
        + string.Concat(tail.Select(t => "," + t)) + "]")!.AsArray();

    private static bool EnvelopeWhereNullIsAnError(CorpusSurface s) => Envelope(s) && NullIsAnError(s) && !AnthropicApi(s);

    private static CorpusMutation Method(string method) =>
        new(method, "method", ByProxy, r => r.Method = method, 405);

    private static CorpusMutation Rejected(string name, Func<CorpusSurface, bool> family, Action<JsonObject> change, string message) =>
        new(name, "bedrock", ByBedrock, r => change(r.Body), 400, message, family);

    private static JsonObject FirstMessage(JsonObject body) => body["messages"]![0]!.AsObject();

    public static IReadOnlyList<CorpusMutation> Mutations { get; } =
    [
        // RFC 9110 §11.6.2: "Bearer" 1*SP token68, one value.
        Auth("none", a => a.Clear(), message: "Missing API key"),
        Auth("basic-scheme", a => a[0] = "Basic dXNlcjpwYXNz"),
        Auth("bearer-without-token", a => a[0] = "Bearer"),
        Auth("bearer-tab", a => a[0] = a[0].Replace(' ', '\t')),
        Auth("token-in-quotes", a => a[0] = "Bearer \"" + a[0][7..] + "\""),
        Auth("malformed-key", a => a[0] = "Bearer blp_bk_nope"),
        Auth("unknown-key", a => a[0] = "Bearer " + ApiKeyFormat.Generate().Key),
        Auth("sigv4", a => a[0] = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00"),
        Auth("two-headers", a => a.Add(a[0]), status: 400, message: "exactly one Authorization header"),
        Auth("two-keys-one-header", a => a[0] = a[0] + ", Bearer other", status: 400, message: "exactly one Authorization header"),

        // Model ids that would change Bedrock's URL or are not Bedrock ids (path segment, or the envelope's modelId).
        Model("dot-dot", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"),
        Model("query", "a%3Fx%3D1", "a?x=1"),
        Model("fragment", "a%23b", "a#b"),
        Model("percent", "a%2525b", "a%25b"),
        Model("space", "a%20b", "a b"),
        Model("newline", "a%0Ab", "a\nb"),
        Model("backslash", "a%5Cb", "a\\b"),
        Model("non-ascii", "mod%C3%A9l", "modél"),
        Model("too-long", new string('a', 2100), new string('a', 2100)),
        Model("not-bedrock-arn", "arn%3Aaws%3As3%3A%3A%3Abucket%2Fx", "arn:aws:s3:::bucket/x"),
        new("number", "model-id", ByProxy, r => r.Body[r.Surface.Family.ModelField] = 7, 400, "must be a string", Envelope,
            Worded("Invalid type for 'model': expected a string, but got an integer instead.")),
        new("null", "model-id", ByProxy, r => r.Body[r.Surface.Family.ModelField] = null, 400, "model", Envelope),
        new("lone-surrogate", "model-id", ByProxy, r =>
        {
            string field = r.Surface.Family.ModelField;
            r.ReplaceInBody($"\"{field}\":\"{r.Model}\"", $"\"{field}\":\"\\ud800\"");
        }, 400, "not valid Unicode", Envelope),

        // Body structure.
        Body("empty", _ => "", "empty"),
        Body("truncated", r => r.Body.ToJsonString()[..20], "not valid JSON"),
        Body("array", _ => "[]", "must be a JSON object"),
        Body("string", _ => "\"hello\"", "must be a JSON object"),
        Body("trailing-garbage", r => r.Body.ToJsonString() + " x", "not valid JSON"),
        Body("comment", r => "/* hi */" + r.Body.ToJsonString(), "not valid JSON"),
        Body("nan", r => r.Body.ToJsonString()[..^1] + ",\"temperature\":NaN}", "not valid JSON"),
        Body("duplicate-key", r => r.Body.ToJsonString()[..^1] + ",\"messages\":[]}", "names \"messages\" twice"),
        Body("deep-nesting", r => r.Body.ToJsonString()[..^1] + ",\"x\":" + new string('[', 500) + new string(']', 500) + "}", "deeper than 64 levels"),
        new("invalid-utf8", "body", ProxyUnlessOpaqueInvoke, r =>
        {
            r.ContentType = "application/octet-stream";
            byte[] text = Encoding.UTF8.GetBytes(r.Body.ToJsonString().Replace("Hello there", "Hello \u0001there", StringComparison.Ordinal));
            text[Array.IndexOf(text, (byte)1)] = 0xFF;
            r.RawBody = text;
        }, 400),

        // Fields the proxy reads for the token reservation (issue 13's regression: "many" was a 500).
        MaxTokens("string", "many", "Invalid type for 'max_tokens': expected an integer, but got a string instead."),
        MaxTokens("overflow", JsonValue.Create(1e300), "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead."),
        MaxTokens("null", null, null, NullIsAnError),
        MaxTokens("negative", -1, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got -1 instead."),
        MaxTokens("zero", 0, "Invalid 'max_tokens': integer below minimum value."),
        MaxTokens("above-int32", 2147483648L, "Invalid 'max_tokens': integer above maximum value. Expected a value <= 2147483647"),
        MaxTokens("fraction", 12.5, "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead."),
        MaxTokens("array", new JsonArray(1), "Invalid type for 'max_tokens': expected an integer, but got an array instead."),
        new("1e400", "field", ByProxy, r => r.ReplaceInBody($"\"{r.Surface.MaxTokensName}\":100", $"\"{r.Surface.MaxTokensName}\":1e400"), 400, "must be an integer",
            MessageFor: Worded("Invalid type for 'max_tokens': expected an integer")),
        new("stream-string", "field", ByProxy, r => r.Body["stream"] = "yes", 400, "must be true or false", Envelope,
            Worded("Invalid type for 'stream': expected a boolean, but got a string instead.", "stream: Input should be a valid boolean")),
        new("stream-null", "field", ByProxy, r => r.Body["stream"] = null, 400, "must be true or false", EnvelopeWhereNullIsAnError),

        // Sizes.
        new("over-limit", "size", ByProxy, r => r.Body["pad"] = new string('x', 5 * 1024 * 1024 + 16), 413),
        new("huge-array", "size", BedrockUnlessTranslated, r => r.Body["messages"] = new JsonArray([.. Enumerable.Range(0, 100_000).Select(i => (JsonNode)i)]), 400),

        // Methods.
        Method("GET"),
        Method("PUT"),
        Method("DELETE"),
        Method("PATCH"),

        // Content types whose bodies are not JSON.
        new("form-urlencoded", "content-type", ProxyUnlessOpaqueInvoke, r =>
        {
            r.ContentType = "application/x-www-form-urlencoded";
            r.RawBody = "modelId=amazon.nova-lite-v1%3A0&stream=false"u8.ToArray();
        }, 400),
        new("multipart", "content-type", ProxyUnlessOpaqueInvoke, r =>
        {
            r.ContentType = "multipart/form-data; boundary=b";
            r.RawBody = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"u8.ToArray();
        }, 400),

        // Bodies the proxy passes through and Bedrock refuses (the simulator in Bedrock's words, relayed).
        Rejected("messages-not-a-list", Converse, b => b["messages"] = "hi", "Provide a list for the field"),
        Rejected("role-system", Converse, b => FirstMessage(b)["role"] = "system", "Member must satisfy enum value set: [user, assistant]"),
        Rejected("unknown-block", Converse, b => FirstMessage(b)["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "x" }), "set exactly one of"),
        Rejected("temperature-string", Converse, b => b["inferenceConfig"]!["temperature"] = "hot", "Provide a number for the field"),
        Rejected("topP-above-1", Converse, b => b["inferenceConfig"]!["topP"] = 1.5, "Member must have value less than or equal to 1"),
        Rejected("tools-not-a-list", Converse, b => b["toolConfig"] = new JsonObject { ["tools"] = new JsonObject() }, "Provide a list for the field"),
        Rejected("tool-without-name", Converse, b => b["toolConfig"] = JsonNode.Parse("""{"tools":[{"toolSpec":{"inputSchema":{"json":{}}}}]}"""), "toolSpec.name' failed to satisfy constraint: Member must not be null"),
        Rejected("image-not-base64", Converse, b => FirstMessage(b)["content"] = JsonNode.Parse("""[{"image":{"format":"png","source":{"bytes":"not base64!"}}}]"""), "Provide base64-encoded bytes"),
        Rejected("tool-choice-without-tools", Converse, b => b["toolConfig"] = JsonNode.Parse("""{"toolChoice":{"auto":{}}}"""), "'toolConfig.tools' failed to satisfy constraint: Member must not be null"),
        Rejected("first-message-assistant", Converse, b => FirstMessage(b)["role"] = "assistant", "must start with a user message"),
        Rejected("missing-max-tokens", Anthropic, b => b.Remove("max_tokens"), "required key [max_tokens] not found"),
        Rejected("missing-anthropic-version", Anthropic, b => b.Remove("anthropic_version"), "required key [anthropic_version] not found"),
        Rejected("role-robot", ClaudeBody, b => FirstMessage(b)["role"] = "robot", "#/messages/0/role: robot is not a valid enum value"),
        Rejected("content-number", ClaudeBody, b => FirstMessage(b)["content"] = 5, "expected type: String or JSONArray, found: Integer"),
        Rejected("temperature-above-1", ClaudeBody, b => b["temperature"] = 1.5, "#/temperature: 1.5 is not less or equal to 1"),
        Rejected("top-k-string", ClaudeBody, b => b["top_k"] = "many", "#/top_k: expected type: Integer, found: String"),
        Rejected("tool-bad-name", ClaudeBody, b => b["tools"] = JsonNode.Parse("""[{"name":"top song","input_schema":{}}]"""), "does not match pattern"),
        Rejected("tool-choice-without-name", ClaudeBody, b => b["tool_choice"] = JsonNode.Parse("""{"type":"tool"}"""), "#/tool_choice: required key [name] not found"),
        Rejected("image-not-base64", ClaudeBody, b => FirstMessage(b)["content"] = JsonNode.Parse("""[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]"""), "is not valid base64"),
        Rejected("temperature-above-1", OpenAi, b => b["temperature"] = 1.5, "Member must have value less than or equal to 1"),
        Rejected("first-message-assistant", OpenAi, b => b["messages"] = JsonNode.Parse("""[{"role":"assistant","content":"Hi"},{"role":"user","content":"Hello"}]"""), "must start with a user message"),
        Rejected("no-messages", ClaudeBody, b => b["messages"] = new JsonArray(), "expected minimum item count: 1"),
        Rejected("system-number", ClaudeBody, b => b["system"] = 5, "#/system: expected type: String or JSONArray, found: Integer"),
        Rejected("tools-duplicate-name", ClaudeBody, b => b["tools"] = JsonNode.Parse(
            """[{"name":"top_song","input_schema":{"type":"object"}},{"name":"top_song","input_schema":{"type":"object"}}]"""), "tools: Tool names must be unique."),

        // OpenAI-strict chat completions: every documented parameter type-checked, tools consistent, tool messages
        // paired with their calls (issue 24 item 4). Ignored parameters too: a wrong type is a 400 at OpenAI.
        Chat("logit-bias-string", b => b["logit_bias"] = "none", "Invalid type for 'logit_bias': expected an object, but got a string instead."),
        Chat("n-string", b => b["n"] = "2", "Invalid type for 'n': expected an integer, but got a string instead."),
        Chat("seed-string", b => b["seed"] = "7", "Invalid type for 'seed': expected an integer, but got a string instead."),
        Chat("user-number", b => b["user"] = 42, "Invalid type for 'user': expected a string, but got an integer instead."),
        Chat("store-string", b => b["store"] = "yes", "Invalid type for 'store': expected a boolean, but got a string instead."),
        Chat("metadata-array", b => b["metadata"] = new JsonArray(), "Invalid type for 'metadata': expected an object, but got an array instead."),
        Chat("metadata-number-value", b => b["metadata"] = new JsonObject { ["k"] = 1 }, "Invalid type for 'metadata.k': expected a string"),
        Chat("modalities-string", b => b["modalities"] = "text", "Invalid type for 'modalities': expected an array"),
        Chat("audio-number", b => b["audio"] = 1, "Invalid type for 'audio': expected an object"),
        Chat("prediction-string", b => b["prediction"] = "x", "Invalid type for 'prediction': expected an object"),
        Chat("service-tier-unknown", b => b["service_tier"] = "gold", "Invalid value: 'gold'. Supported values are:"),
        Chat("parallel-tool-calls-string", b => { b["tools"] = new JsonArray(TopSong()); b["parallel_tool_calls"] = "true"; },
            "Invalid type for 'parallel_tool_calls': expected a boolean"),
        Chat("response-format-string", b => b["response_format"] = "json", "Invalid type for 'response_format': expected an object"),
        Chat("stream-options-boolean", b => b["stream_options"] = true, "Invalid type for 'stream_options': expected an object"),
        Chat("logprobs-number", b => b["logprobs"] = 1, "Invalid type for 'logprobs': expected a boolean"),
        Chat("top-logprobs-21", b => b["top_logprobs"] = 21, "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20"),
        Chat("frequency-penalty-3", b => b["frequency_penalty"] = 3, "Invalid 'frequency_penalty': decimal above maximum value. Expected a value <= 2"),
        Chat("temperature-above-2", b => b["temperature"] = 2.5, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2"),
        Chat("top-p-string", b => b["top_p"] = "high", "Invalid type for 'top_p': expected a number"),
        Chat("stop-five", b => b["stop"] = new JsonArray("a", "b", "c", "d", "e"), "Invalid 'stop': array too long. Expected an array with maximum length 4"),
        Chat("stop-number", b => b["stop"] = 7, "Invalid type for 'stop': expected a string or an array of strings"),
        Chat("max-completion-tokens-string", b => b["max_completion_tokens"] = "64", "Invalid type for 'max_completion_tokens': expected an integer"),
        Chat("reasoning-effort-number", b => b["reasoning_effort"] = 3, "Invalid type for 'reasoning_effort': expected a string"),
        Chat("reasoning-effort-unknown", b => b["reasoning_effort"] = "extreme", "Invalid value: 'extreme'."),
        Chat("web-search-options-array", b => b["web_search_options"] = new JsonArray(), "Invalid type for 'web_search_options': expected an object"),
        Chat("unknown-parameter", b => b["frobnicate"] = 1, "Unrecognized request argument supplied: frobnicate"),
        Chat("role-robot", b => FirstMessage(b)["role"] = "robot", "Unknown role 'robot'"),
        Chat("content-part-text-number", b => FirstMessage(b)["content"] = JsonNode.Parse("""[{"type":"text","text":5}]"""),
            "Invalid type for 'messages[0].content[0].text': expected a string"),
        Chat("content-empty-array", b => FirstMessage(b)["content"] = new JsonArray(), "Invalid 'messages[0].content': empty array."),
        Chat("tools-empty", b => b["tools"] = new JsonArray(), "Invalid 'tools': empty array."),
        Chat("tools-duplicate-name", b => b["tools"] = new JsonArray(TopSong(), TopSong()), "the tool name 'top_song' is defined more than once"),
        Chat("tool-bad-name", b => b["tools"] = new JsonArray(TopSong("top song")), "Invalid 'tools[0].function.name': string does not match pattern."),
        Chat("tool-name-too-long", b => b["tools"] = new JsonArray(TopSong(new string('a', 65))), "Invalid 'tools[0].function.name': string too long."),
        Chat("tool-parameters-string", b => b["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"f","parameters":"{}"}}]"""),
            "Invalid type for 'tools[0].function.parameters': expected an object"),
        Chat("tool-parameters-not-object-schema", b => b["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"f","parameters":{"type":"array"}}}]"""),
            "Invalid schema for function 'f'"),
        Chat("tool-choice-undefined-tool", b =>
        {
            b["tools"] = new JsonArray(TopSong());
            b["tool_choice"] = JsonNode.Parse("""{"type":"function","function":{"name":"weather"}}""");
        }, "tool choice 'weather' not found in 'tools' parameter"),
        Chat("tool-choice-required-without-tools", b => b["tool_choice"] = "required", "'tool_choice' is only allowed when 'tools' are specified."),
        Chat("tool-message-without-call", b => b["messages"] = JsonNode.Parse("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_1","content":"x"}]"""),
            "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'"),
        Chat("tool-message-wrong-id", b => { b["tools"] = new JsonArray(TopSong()); b["messages"] = ToolHistory("""{"role":"tool","tool_call_id":"call_9","content":"x"}"""); },
            "'tool_call_id' of 'call_9' not found in 'tool_calls' of previous message"),
        Chat("tool-call-unanswered", b => { b["tools"] = new JsonArray(TopSong()); b["messages"] = ToolHistory("""{"role":"user","content":"and?"}"""); },
            "The following tool_call_ids did not have response messages: call_1"),

        // The Anthropic Messages API's own refusals (the rest of the corpus runs on its surfaces too).
        Messages("model-not-claude", b => b["model"] = "amazon.nova-lite-v1:0", 400, "is not a Claude model"),
        Messages("model-unknown-alias", b => b["model"] = "claude-nonesuch-9", 404, "is not in this proxy's model alias table"),
    ];
}
