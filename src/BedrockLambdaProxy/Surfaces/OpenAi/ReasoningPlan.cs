using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// What one request's <c>reasoning_effort</c> turns into for its model: the fields written to
/// <c>additionalModelRequestFields</c> and, for Claude's extended thinking, the budget and the output cap it needs.
/// </summary>
/// <param name="Effort">The caller's value (<c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c>).</param>
/// <param name="BudgetTokens">Claude's <c>thinking.budget_tokens</c>; 0 for other families.</param>
/// <param name="OutputCap">The most output tokens the model can generate; 0 when the proxy does not need to know.</param>
internal sealed record ReasoningPlan(ReasoningFamily Family, string Effort, long BudgetTokens, long OutputCap)
{
    /// <summary>Room left for the answer itself above the thinking budget when the proxy has to raise maxTokens.</summary>
    public const long AnswerAllowance = 4_096;

    /// <summary>Claude thinking: extended thinking is on, with the sampling and tool-choice rules that come with it.</summary>
    public bool Thinks => Family == ReasoningFamily.ClaudeThinking;

    /// <summary>
    /// The maxTokens to send: Claude needs maxTokens above the budget (Anthropic: "budget_tokens must be less than
    /// max_tokens"), so an unset or too small cap is raised to budget + <see cref="AnswerAllowance"/>, never past the
    /// model's output cap. A cap already above the budget, and every other family's, is the caller's.
    /// </summary>
    public long? MaxTokens(long? requested) =>
        Thinks && (requested is null || requested <= BudgetTokens)
            ? Math.Min(BudgetTokens + AnswerAllowance, OutputCap)
            : requested;

    /// <summary>Whether anything goes into <c>additionalModelRequestFields</c> (DeepSeek-R1 has nothing to set).</summary>
    public bool HasFields => Family is ReasoningFamily.ClaudeThinking or ReasoningFamily.GptOss or ReasoningFamily.Nova2;

    /// <summary>Writes this plan's members of <c>additionalModelRequestFields</c> (the caller opens and closes the object).</summary>
    public void WriteFields(Utf8JsonWriter json)
    {
        switch (Family)
        {
            case ReasoningFamily.ClaudeThinking:
                json.WriteStartObject("thinking");
                json.WriteString("type", "enabled");
                json.WriteNumber("budget_tokens", BudgetTokens);
                json.WriteEndObject();
                break;
            case ReasoningFamily.GptOss:
                json.WriteString("reasoning_effort", LowMediumHigh);
                break;
            case ReasoningFamily.Nova2:
                json.WriteStartObject("reasoningConfig");
                json.WriteString("type", "enabled");
                json.WriteString("maxReasoningEffort", LowMediumHigh);
                json.WriteEndObject();
                break;
        }
    }

    // gpt-oss and Nova 2 know low / medium / high; OpenAI's "minimal" is the least of them.
    private string LowMediumHigh => Effort == "minimal" ? "low" : Effort;
}
