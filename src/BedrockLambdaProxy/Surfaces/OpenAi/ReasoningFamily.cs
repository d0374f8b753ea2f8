namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>How a model family reasons, which decides what <c>reasoning_effort</c> becomes (docs/OPENAI.md has the table).</summary>
internal enum ReasoningFamily
{
    /// <summary>The model cannot reason: only <c>none</c> is accepted.</summary>
    None,
    /// <summary>Claude with extended thinking: <c>additionalModelRequestFields.thinking</c> with a token budget.</summary>
    ClaudeThinking,
    /// <summary>gpt-oss: OpenAI's own <c>reasoning_effort</c> in <c>additionalModelRequestFields</c>.</summary>
    GptOss,
    /// <summary>Amazon Nova 2: <c>additionalModelRequestFields.reasoningConfig</c>.</summary>
    Nova2,
    /// <summary>DeepSeek-R1: always reasons and has no setting for how much.</summary>
    DeepSeekR1,
}
