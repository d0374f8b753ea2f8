using static BedrockSimulator.Validation.S;

namespace BedrockSimulator.Validation;

/// <summary>
/// Anthropic Claude Messages API bodies on InvokeModel:
/// https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
/// (required anthropic_version, max_tokens, messages; system as a string or a list of text blocks). Content block
/// and tool types are open lists (Anthropic adds kinds with each release): known ones are checked, others need
/// only a string <c>type</c>. <c>cache_control</c>, <c>anthropic_beta</c>, <c>thinking</c> and other members pass.
/// </summary>
internal static class AnthropicSchema
{
    /// <summary>https://docs.anthropic.com/en/docs/build-with-claude/tool-use — tool names match ^[a-zA-Z0-9_-]{1,64}$.</summary>
    private const string ToolNamePattern = "^[a-zA-Z0-9_-]{1,64}$";

    private static readonly Shape Base64Source = Variant(
        Req("media_type", Enum("image/jpeg", "image/png", "image/gif", "image/webp")), Req("data", Bytes));

    private static readonly Shape Block = Tagged("ContentBlock", "type", new Dictionary<string, Shape>
    {
        ["text"] = Variant(Req("text", Str(notBlank: true))),
        ["image"] = Variant(Req("source", Tagged("ImageSource", "type", new Dictionary<string, Shape>
        {
            ["base64"] = Base64Source,
            ["url"] = Variant(Req("url", Str(min: 1))),
        }))),
        ["tool_use"] = Variant(Req("id", Str(min: 1)), Req("name", Str(min: 1)), Req("input", JsonObject)),
        ["tool_result"] = Variant(Req("tool_use_id", Str(min: 1)), Opt("content", OneOf(Text, List(Any))), Opt("is_error", Bool)),
        ["thinking"] = Variant(Req("thinking", Text), Opt("signature", Text)),
        ["redacted_thinking"] = Variant(Req("data", Text)),
    });

    // "system" too: Claude Code (2.1.x, Bedrock mode) appends role "system" messages after the last user turn, and it
    // works against Bedrock, so Bedrock's Anthropic Messages endpoint accepts them (seen in the Claude Code test's ledger).
    private static readonly Shape Message = Obj("Message",
        Req("role", Enum("user", "assistant", "system")),
        Req("content", OneOf(Text, List(Block))));

    private static readonly Shape Tool = Obj("Tool",
        Req("name", Str(pattern: ToolNamePattern)),
        Opt("description", Text), Opt("input_schema", JsonObject), Opt("type", Text));

    private static readonly Shape ToolChoice = Tagged("ToolChoice", "type", new Dictionary<string, Shape>
    {
        ["auto"] = Variant(Opt("disable_parallel_tool_use", Bool)),
        ["any"] = Variant(Opt("disable_parallel_tool_use", Bool)),
        ["tool"] = Variant(Req("name", Str(pattern: ToolNamePattern)), Opt("disable_parallel_tool_use", Bool)),
        ["none"] = Variant(),
    }, closed: true);

    public static Shape Request { get; } = Obj("AnthropicRequest",
        Req("anthropic_version", Str(min: 1)),
        Opt("anthropic_beta", List(Text)),
        Req("max_tokens", Int(min: 1)),
        Req("messages", List(Message, min: 1)),
        Opt("system", OneOf(Text, List(Block))),
        Opt("temperature", Num(0, 1)),
        Opt("top_p", Num(0, 1)),
        Opt("top_k", Int(min: 0)),
        Opt("stop_sequences", List(Text)),
        Opt("tools", List(Tool)),
        Opt("tool_choice", ToolChoice));
}
