using BedrockLambdaProxy.Surfaces;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// What admission charges a request against its token limits before Bedrock is called: the input
/// tokens estimated from the body (<see cref="Usage.TokenEstimate"/>) plus the most output the request
/// can produce, its max-tokens field or, when it sets none, its model family's default
/// (<see cref="OutputTokenDefaults"/>). The usage record later settles it to Bedrock's own counts.
/// </summary>
internal readonly record struct TokenReservation(long Input, long Output, bool OutputIsDefault)
{
    public long Total => Input + Output;

    /// <summary>
    /// The reservation of <paramref name="call"/>; nothing for CountTokens, which generates nothing and is not billed;
    /// the input alone for embeddings, which are billed for input only.
    /// </summary>
    public static TokenReservation For(BedrockCall call, OutputTokenDefaults defaults) =>
        call.Operation == Bedrock.BedrockOperation.CountTokens ? default
        : call.GeneratesNoOutput ? new TokenReservation(call.InputTokenEstimate, 0, false)
        : call.MaxOutputTokens > 0
            ? new TokenReservation(call.InputTokenEstimate, call.MaxOutputTokens, false)
            : new TokenReservation(call.InputTokenEstimate, defaults.For(call.ModelId), true);

    /// <summary>A sentence for a refusal: how many tokens the request reserves and how to lower that.</summary>
    public string Explain() => OutputIsDefault
        ? $"This request reserves {Total} tokens: about {Input} of input plus {Output} of output, the model's default cap "
          + "because the request sets none; set a smaller max tokens (maxTokens, max_tokens, max_completion_tokens) or send less input."
        : $"This request reserves {Total} tokens: about {Input} of input plus its max tokens of {Output}; "
          + "lower max tokens or send less input.";
}
