using System.Globalization;
using System.Text.Json;
using BedrockLambdaProxy.Limits;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatRequestTranslator;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI's <c>reasoning_effort</c> (<c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>) per model
/// family; docs/OPENAI.md shows the same table. <c>none</c> asks for no reasoning: accepted wherever reasoning can be
/// left off, refused where the model always reasons. Any other value for a model that cannot reason is a 400 naming
/// <c>reasoning_effort</c>, as OpenAI answers for its own non-reasoning models.
/// </summary>
internal static class ReasoningEffortMap
{
    private static readonly string[] Efforts = ["none", "minimal", "low", "medium", "high"];

    /// <summary>
    /// Claude models with extended thinking (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html,
    /// read 2026-12-05: 3.7 Sonnet, Sonnet 4 / 4.5, Opus 4 / 4.1 / 4.5, Haiku 4.5), each with its output cap (Anthropic's
    /// models overview, not re-read 2026-12-05: 64,000 except Opus 4 / 4.1 at 32,000). Matched as prefixes of the
    /// foundation model id, so profiles (<c>us.</c>, <c>global.</c>) and ARNs naming the model match too.
    /// </summary>
    private static readonly (string Prefix, long OutputCap)[] ClaudeThinking =
    [
        ("anthropic.claude-3-7-sonnet", 64_000),
        ("anthropic.claude-sonnet-4-2", 64_000),
        ("anthropic.claude-sonnet-4-5", 64_000),
        ("anthropic.claude-opus-4-2", 32_000),
        ("anthropic.claude-opus-4-1", 32_000),
        ("anthropic.claude-opus-4-5", 64_000),
        ("anthropic.claude-haiku-4-5", 64_000),
    ];

    /// <summary>
    /// Claude's <c>budget_tokens</c> per effort: at least Anthropic's minimum of 1,024, and with
    /// <see cref="ReasoningPlan.AnswerAllowance"/> on top still under every listed model's cap and under the
    /// 21,333 max tokens above which streaming is required (the Bedrock extended-thinking page above, read 2026-12-05).
    /// </summary>
    internal static long BudgetFor(string effort) => effort switch
    {
        "minimal" => 1_024,
        "low" => 2_048,
        "medium" => 8_192,
        _ => 16_384,
    };

    /// <summary>The plan for this request, or null when it asks for no reasoning (absent, or <c>none</c> where allowed).</summary>
    public static ReasoningPlan? Plan(string model, JsonElement root)
    {
        if (Get(root, "reasoning_effort") is not { } value)
        {
            return null;
        }
        string effort = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (Array.IndexOf(Efforts, effort) < 0)
        {
            throw new ChatRequestException("reasoning_effort", "'reasoning_effort' must be one of none, minimal, low, medium or high.");
        }
        (ReasoningFamily family, long cap) = FamilyOf(model);
        if (effort == "none")
        {
            return family is ReasoningFamily.GptOss or ReasoningFamily.DeepSeekR1
                ? throw new ChatRequestException("reasoning_effort",
                    $"The model '{model}' always reasons; 'reasoning_effort' 'none' cannot turn that off. Use minimal, low, medium or high, or omit it.",
                    "unsupported_value")
                : null;
        }
        if (family == ReasoningFamily.None)
        {
            throw new ChatRequestException("reasoning_effort",
                $"The model '{model}' does not support reasoning: omit 'reasoning_effort' or send 'none'. docs/OPENAI.md lists the reasoning models.",
                "unsupported_parameter");
        }
        var plan = new ReasoningPlan(family, effort, family == ReasoningFamily.ClaudeThinking ? BudgetFor(effort) : 0, cap);
        if (plan.Thinks)
        {
            CheckThinkingCompatible(root);
        }
        else if (family == ReasoningFamily.Nova2 && effort == "high")
        {
            CheckNovaHighUnset(root);
        }
        return plan;
    }

    /// <summary>The family of a model id, profile or ARN, with its output cap where the proxy needs it.</summary>
    internal static (ReasoningFamily Family, long OutputCap) FamilyOf(string model)
    {
        string id = FoundationModelId.Of(model);
        foreach ((string prefix, long cap) in ClaudeThinking)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (ReasoningFamily.ClaudeThinking, cap);
            }
        }
        // gpt-oss takes OpenAI's own fields in additionalModelRequestFields
        // (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-openai.html, read 2026-12-05);
        // Nova 2 takes reasoningConfig (https://docs.aws.amazon.com/nova/latest/nova2-userguide/extended-thinking.html, read 2026-12-05);
        // DeepSeek-R1 always reasons (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-deepseek.html, not re-read 2026-12-05).
        return id.StartsWith("openai.gpt-oss", StringComparison.Ordinal) ? (ReasoningFamily.GptOss, 0)
            : id.StartsWith("amazon.nova-2-", StringComparison.Ordinal) ? (ReasoningFamily.Nova2, 0)
            : id.StartsWith("deepseek.r1", StringComparison.Ordinal) ? (ReasoningFamily.DeepSeekR1, 0)
            : (ReasoningFamily.None, 0);
    }

    /// <summary>
    /// Nova 2 with <c>maxReasoningEffort: high</c> takes no temperature, topP or maxTokens: the model sets its own output
    /// length (Nova 2 user guide, extended-thinking.html, as quoted in AWS samples; not re-read in full 2026-12-05).
    /// </summary>
    private static void CheckNovaHighUnset(JsonElement root)
    {
        foreach (string name in (string[])["temperature", "top_p", "max_completion_tokens", "max_tokens"])
        {
            if (Get(root, name) is not null)
            {
                throw new ChatRequestException(name,
                    $"Amazon Nova 2 with reasoning_effort 'high' takes no '{name}': omit it, or use a lower reasoning_effort.", "unsupported_value");
            }
        }
    }

    /// <summary>
    /// Extended thinking "isn't compatible with temperature, top_p, or top_k modifications or forced tool use"
    /// (Bedrock extended-thinking page, read 2026-12-05; Anthropic allows top_p from 0.95 to 1, extended-thinking page,
    /// not re-read 2026-12-05). Refused, as OpenAI
    /// refuses sampling settings on its own reasoning models, rather than silently dropped.
    /// </summary>
    private static void CheckThinkingCompatible(JsonElement root)
    {
        if (Get(root, "temperature") is { ValueKind: JsonValueKind.Number } temperature && temperature.GetDouble() != 1)
        {
            throw new ChatRequestException("temperature",
                $"Unsupported value: 'temperature' does not support {temperature.GetDouble().ToString(CultureInfo.InvariantCulture)} with reasoning_effort on this model (Claude's extended thinking). Only the default (1) value is supported.",
                "unsupported_value");
        }
        if (Get(root, "top_p") is { ValueKind: JsonValueKind.Number } topP && topP.GetDouble() < 0.95)
        {
            throw new ChatRequestException("top_p",
                $"Unsupported value: 'top_p' does not support {topP.GetDouble().ToString(CultureInfo.InvariantCulture)} with reasoning_effort on this model (Claude's extended thinking). Use 0.95 to 1, or omit it.",
                "unsupported_value");
        }
        if (Get(root, "tool_choice") is { } choice && !(choice.ValueKind == JsonValueKind.String && (choice.ValueEquals("auto") || choice.ValueEquals("none"))))
        {
            throw new ChatRequestException("tool_choice",
                "Claude's extended thinking (reasoning_effort) does not allow forcing a tool call: use tool_choice 'auto' or 'none'.",
                "unsupported_value");
        }
    }
}
