using static BedrockSimulator.Validation.S;

namespace BedrockSimulator.Validation;

/// <summary>
/// The Converse / ConverseStream request body as the API reference defines it (both operations share it):
/// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_RequestSyntax
/// Each type links its own reference page. Members the simulator does not look into are <see cref="S.Any"/>
/// so nothing Bedrock accepts is refused; unknown top-level members are ignored, as Bedrock's JSON reader does.
/// </summary>
internal static class ConverseSchema
{
    /// <summary>https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Tool.html — name pattern and length from ToolSpecification.</summary>
    private const string ToolNamePattern = "^[a-zA-Z0-9_-]+$";

    /// <summary>https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolUseBlock.html — toolUseId pattern.</summary>
    private const string ToolUseIdPattern = "^[a-zA-Z0-9_-]+$";

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_S3Location.html
    private static readonly Shape S3Location = Obj("S3Location", Req("uri", Str(1, 1024, "^s3://")), Opt("bucketOwner", Text));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html (+ ImageSource: bytes | s3Location)
    internal static readonly Shape Image = Obj("ImageBlock",
        Req("format", Enum("png", "jpeg", "gif", "webp")),
        Req("source", Union("ImageSource", Opt("bytes", Bytes), Opt("s3Location", S3Location))));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html (+ DocumentSource)
    internal static readonly Shape Document = Obj("DocumentBlock",
        Opt("format", Enum("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md")),
        Req("name", Str(1, 200)),
        Req("source", Union("DocumentSource", Opt("bytes", Bytes), Opt("s3Location", S3Location), Opt("text", Text),
            Opt("content", List(Any)))),
        Opt("context", Text), Opt("citations", Any));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_VideoBlock.html (+ VideoSource)
    internal static readonly Shape Video = Obj("VideoBlock",
        Req("format", Enum("mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp")),
        Req("source", Union("VideoSource", Opt("bytes", Bytes), Opt("s3Location", S3Location))));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html
    internal static readonly Shape CachePoint = Obj("CachePointBlock", Req("type", Enum("default")), Opt("ttl", Any));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolUseBlock.html
    internal static readonly Shape ToolUse = Obj("ToolUseBlock",
        Req("toolUseId", Str(1, 64, ToolUseIdPattern)), Req("name", Str(1, 64)), Req("input", Any), Opt("type", Any));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolResultBlock.html (+ ToolResultContentBlock)
    internal static readonly Shape ToolResult = Obj("ToolResultBlock",
        Req("toolUseId", Str(1, 64, ToolUseIdPattern)),
        Req("content", List(Union("ToolResultContentBlock",
            Opt("json", Any), Opt("text", Text), Opt("image", Image), Opt("document", Document), Opt("video", Video),
            Opt("searchResult", Any)))),
        Opt("status", Enum("success", "error")), Opt("type", Any));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConverseContentBlock.html
    private static readonly Shape GuardContent = Union("GuardrailConverseContentBlock",
        Opt("text", Obj("GuardrailConverseTextBlock", Req("text", Text),
            Opt("qualifiers", List(Enum("grounding_source", "query", "guard_content"))))),
        Opt("image", Obj("GuardrailConverseImageBlock", Req("format", Enum("png", "jpeg")),
            Req("source", Union("GuardrailConverseImageSource", Opt("bytes", Bytes))))));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html
    private static readonly Shape Reasoning = Union("ReasoningContentBlock",
        Opt("reasoningText", Obj("ReasoningTextBlock", Req("text", Text), Opt("signature", Text))),
        Opt("redactedContent", Bytes));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html
    internal static readonly Shape ContentBlock = Union("ContentBlock",
        Opt("text", Str(notBlank: true)), Opt("image", Image), Opt("document", Document), Opt("video", Video),
        Opt("audio", Any), Opt("toolUse", ToolUse), Opt("toolResult", ToolResult), Opt("guardContent", GuardContent),
        Opt("cachePoint", CachePoint), Opt("reasoningContent", Reasoning), Opt("citationsContent", Any),
        Opt("searchResult", Any));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
    internal static readonly Shape Message = Obj("Message",
        Req("role", Enum("user", "assistant")),
        Req("content", List(ContentBlock, min: 1)));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_SystemContentBlock.html
    private static readonly Shape SystemBlock = Union("SystemContentBlock",
        Opt("text", Str(notBlank: true)), Opt("guardContent", GuardContent), Opt("cachePoint", CachePoint));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InferenceConfiguration.html
    private static readonly Shape InferenceConfig = Obj("InferenceConfiguration",
        Opt("maxTokens", Int(min: 1)),
        Opt("temperature", Num(0, 1)),
        Opt("topP", Num(0, 1)),
        Opt("stopSequences", List(Str(min: 1), max: 2500)));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolSpecification.html (+ ToolInputSchema: json document)
    private static readonly Shape ToolSpec = Obj("ToolSpecification",
        Req("name", Str(1, 64, ToolNamePattern)),
        Opt("description", Str(min: 1)),
        Req("inputSchema", Union("ToolInputSchema", Opt("json", JsonObject))),
        Opt("strict", Bool));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolConfiguration.html (+ Tool, ToolChoice)
    private static readonly Shape ToolConfig = Obj("ToolConfiguration",
        Req("tools", List(Union("Tool", Opt("toolSpec", ToolSpec), Opt("cachePoint", CachePoint), Opt("systemTool", Any)), min: 1)),
        Opt("toolChoice", Union("ToolChoice",
            Opt("auto", JsonObject), Opt("any", JsonObject),
            Opt("tool", Obj("SpecificToolChoice", Req("name", Str(1, 64, ToolNamePattern)))))));

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailStreamConfiguration.html
    private static readonly Shape GuardrailConfig = Obj("GuardrailConfiguration",
        Req("guardrailIdentifier", Str(0, 2048)), Req("guardrailVersion", Str(pattern: "^(([1-9][0-9]{0,7})|(DRAFT))$")),
        Opt("trace", Enum("enabled", "disabled", "enabled_full")), Opt("streamProcessingMode", Enum("sync", "async")));

    /// <summary>The request body; <c>messages</c> is required for a model id (only prompt ARNs may omit it).</summary>
    public static Shape Request { get; } = Obj("ConverseRequest",
        Req("messages", List(Message)),
        Opt("system", List(SystemBlock)),
        Opt("inferenceConfig", InferenceConfig),
        Opt("toolConfig", ToolConfig),
        Opt("guardrailConfig", GuardrailConfig),
        Opt("additionalModelRequestFields", JsonObject),
        Opt("promptVariables", Map(Any)),
        // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#bedrock-Runtime_Converse-request-additionalModelResponseFieldPaths
        Opt("additionalModelResponseFieldPaths", List(Str(1, 256), max: 10)),
        Opt("requestMetadata", Map(Str(max: 256))),
        // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_PerformanceConfiguration.html
        Opt("performanceConfig", Obj("PerformanceConfiguration", Opt("latency", Enum("standard", "optimized")))));
}
