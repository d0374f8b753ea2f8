using static BedrockSimulator.Validation.S;

namespace BedrockSimulator.Validation;

/// <summary>Amazon Titan Text bodies: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html</summary>
internal static class TitanSchema
{
    public static Shape Request { get; } = Obj("TitanRequest",
        Req("inputText", Text),
        Opt("textGenerationConfig", Obj("TextGenerationConfig",
            Opt("temperature", Num(0, 1)),
            Opt("topP", Num(0, 1)),
            Opt("maxTokenCount", Int(min: 0)),
            Opt("stopSequences", List(Text)))));
}
