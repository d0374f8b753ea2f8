using static BedrockSimulator.Validation.S;

namespace BedrockSimulator.Validation;

/// <summary>
/// Amazon Nova InvokeModel bodies: https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema.html
/// Messages and content blocks are Converse's (the page says so); inference parameters use snake case.
/// </summary>
internal static class NovaSchema
{
    public static Shape Request { get; } = Obj("NovaRequest",
        Opt("schemaVersion", Text),
        Opt("system", List(Obj("SystemContentBlock", Req("text", Text)))),
        Req("messages", List(ConverseSchema.Message, min: 1)),
        Opt("inferenceConfig", Obj("InferenceConfig",
            Opt("max_new_tokens", Int(min: 1)),
            Opt("temperature", Num(0, 1)),
            Opt("top_p", Num(0, 1)),
            Opt("top_k", Int(min: 0)),
            Opt("stopSequences", List(Text)),
            Opt("reasoningConfig", Any))),
        Opt("toolConfig", Obj("ToolConfig", Req("tools", List(Any, min: 1)), Opt("toolChoice", Any))));
}
