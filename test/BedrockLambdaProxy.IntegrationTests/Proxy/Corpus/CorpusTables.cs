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

    /// <summary>The OpenAI surface translates the body, so what Bedrock would refuse untranslated the proxy refuses itself.</summary>
    private static Func<CorpusSurface, Outcome> BedrockUnlessTranslated => s => OpenAi(s) ? Outcome.Proxy : Outcome.Bedrock;

    private static CorpusMutation Auth(string name, Action<List<string>> change, int status = 401, string? message = null) =>
        new(name, "auth", ByProxy, r => change(r.Authorization), status, message);

    private static CorpusMutation Model(string name, string escapedForPath, string forBody) =>
        new(name, "model-id", ByProxy, r => r.SetModel(escapedForPath, forBody), AppliesTo: null);

    private static CorpusMutation Body(string name, Func<CorpusRequest, string> raw, string? message = null) =>
        new(name, "body", ByProxy, r => r.RawBody = Encoding.UTF8.GetBytes(raw(r)), 400, message);

    private static CorpusMutation MaxTokens(string name, JsonNode? value, Func<CorpusSurface, bool>? appliesTo = null) =>
        new(name, "field", ByProxy, r => r.Surface.MaxTokensParent(r.Body)[r.Surface.MaxTokensName] = value?.DeepClone(), 400,
            "must be an integer from 1 to 2147483647", appliesTo);

    /// <summary>OpenAI's API takes an explicit null as "not set" for its optional parameters, and so does the proxy there.</summary>
    private static bool NullIsAnError(CorpusSurface s) => !OpenAi(s);

    private static bool EnvelopeWhereNullIsAnError(CorpusSurface s) => Envelope(s) && NullIsAnError(s);

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
        new("number", "model-id", ByProxy, r => r.Body[r.Surface.Family.ModelField] = 7, 400, "must be a string", Envelope),
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
        MaxTokens("string", "many"),
        MaxTokens("overflow", JsonValue.Create(1e300)),
        MaxTokens("null", null, NullIsAnError),
        MaxTokens("negative", -1),
        MaxTokens("zero", 0),
        MaxTokens("above-int32", 2147483648L),
        MaxTokens("fraction", 12.5),
        MaxTokens("array", new JsonArray(1)),
        new("1e400", "field", ByProxy, r => r.ReplaceInBody($"\"{r.Surface.MaxTokensName}\":100", $"\"{r.Surface.MaxTokensName}\":1e400"), 400, "must be an integer"),
        new("stream-string", "field", ByProxy, r => r.Body["stream"] = "yes", 400, "must be true or false", Envelope),
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
        Rejected("role-robot", Anthropic, b => FirstMessage(b)["role"] = "robot", "#/messages/0/role: robot is not a valid enum value"),
        Rejected("content-number", Anthropic, b => FirstMessage(b)["content"] = 5, "expected type: String or JSONArray, found: Integer"),
        Rejected("temperature-above-1", Anthropic, b => b["temperature"] = 1.5, "#/temperature: 1.5 is not less or equal to 1"),
        Rejected("top-k-string", Anthropic, b => b["top_k"] = "many", "#/top_k: expected type: Integer, found: String"),
        Rejected("tool-bad-name", Anthropic, b => b["tools"] = JsonNode.Parse("""[{"name":"top song","input_schema":{}}]"""), "does not match pattern"),
        Rejected("tool-choice-without-name", Anthropic, b => b["tool_choice"] = JsonNode.Parse("""{"type":"tool"}"""), "#/tool_choice: required key [name] not found"),
        Rejected("image-not-base64", Anthropic, b => FirstMessage(b)["content"] = JsonNode.Parse("""[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]"""), "is not valid base64"),
        Rejected("temperature-above-1", OpenAi, b => b["temperature"] = 1.5, "Member must have value less than or equal to 1"),
        Rejected("first-message-assistant", OpenAi, b => b["messages"] = JsonNode.Parse("""[{"role":"assistant","content":"Hi"},{"role":"user","content":"Hello"}]"""), "must start with a user message"),
        Rejected("no-messages", Anthropic, b => b["messages"] = new JsonArray(), "expected minimum item count: 1"),
    ];
}
