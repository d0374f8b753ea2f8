using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Validation;

/// <summary>
/// Claude's extended-thinking rules on a Converse body, refused as Bedrock refuses them: Anthropic's message after
/// "The model returned the following errors: " (the wording Bedrock's Converse users report, e.g.
/// langchain-ai/langchain-aws#844, pydantic/pydantic-ai#2453). A reasoning block sent back must be one the simulator
/// issued (its signature verifies against its text, its redacted data is the simulator's); with thinking on, the
/// budget must be at least 1,024 and below maxTokens, sampling must be left alone, no tool may be forced, and a
/// final assistant turn that used a tool must start with its reasoning.
/// Thinking rules: https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html (read 2026-12-05).
/// </summary>
internal static class ConverseThinkingRules
{
    public const string ModelErrors = "The model returned the following errors: ";

    public static string? Check(JsonElement root)
    {
        if (SentBackBlocks(root.GetProperty("messages")) is { } invalid)
        {
            return ModelErrors + invalid;
        }

        if (!root.TryGetProperty("additionalModelRequestFields", out var fields) || fields.ValueKind != JsonValueKind.Object
            || !AnthropicBedrockRules.ThinkingEnabled(fields))
        {
            return null;
        }

        return (Settings(root, fields.GetProperty("thinking")) ?? FinalTurn(root.GetProperty("messages"))) is { } refused ? ModelErrors + refused : null;
    }

    private static string? SentBackBlocks(JsonElement messages)
    {
        for (var i = 0; i < messages.GetArrayLength(); i++)
        {
            var content = messages[i].GetProperty("content");
            for (var j = 0; j < content.GetArrayLength(); j++)
            {
                if (!content[j].TryGetProperty("reasoningContent", out var reasoning))
                {
                    continue;
                }

                if (reasoning.TryGetProperty("reasoningText", out var text))
                {
                    if (!text.TryGetProperty("signature", out var signature))
                    {
                        return $"messages.{i}.content.{j}.thinking.signature: Field required";
                    }

                    if (!ThinkingSignature.IsValid(text.GetProperty("text").GetString()!, signature.GetString()))
                    {
                        return AnthropicBedrockRules.InvalidSignature(i, j);
                    }
                }
                else if (reasoning.TryGetProperty("redactedContent", out var redacted) && redacted.GetString() != ThinkingSignature.RedactedData)
                {
                    return $"messages.{i}.content.{j}: Invalid `data` in `redacted_thinking` block";
                }
            }
        }

        return null;
    }

    private static string? Settings(JsonElement root, JsonElement thinking)
    {
        if (thinking.GetProperty("type").ValueEquals("enabled"))
        {
            if (!thinking.TryGetProperty("budget_tokens", out var budget) || !budget.TryGetInt64(out var tokens) || tokens < 1024)
            {
                return AnthropicBedrockRules.BudgetTooSmall;
            }

            if (root.TryGetProperty("inferenceConfig", out var config) && config.TryGetProperty("maxTokens", out var max) && max.GetInt64() <= tokens)
            {
                return AnthropicBedrockRules.MaxTokensNotAboveBudget;
            }
        }

        if (root.TryGetProperty("inferenceConfig", out var inference))
        {
            if (inference.TryGetProperty("temperature", out var temperature) && temperature.GetDouble() != 1)
            {
                return "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility";
            }

            if (inference.TryGetProperty("topP", out var topP) && topP.GetDouble() < 0.95)
            {
                return "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility";
            }
        }

        if (root.TryGetProperty("toolConfig", out var tools) && tools.TryGetProperty("toolChoice", out var choice)
            && (choice.TryGetProperty("any", out _) || choice.TryGetProperty("tool", out _)))
        {
            return "Thinking may not be enabled when tool_choice forces tool use.";
        }

        return null;
    }

    /// <summary>The last assistant turn, if it used a tool, must start with the reasoning that led to it.</summary>
    private static string? FinalTurn(JsonElement messages)
    {
        for (var i = messages.GetArrayLength() - 1; i >= 0; i--)
        {
            if (!messages[i].GetProperty("role").ValueEquals("assistant"))
            {
                continue;
            }

            var content = messages[i].GetProperty("content");
            if (!content.EnumerateArray().Any(b => b.TryGetProperty("toolUse", out _)) || content[0].TryGetProperty("reasoningContent", out _))
            {
                return null;
            }

            var first = content[0].EnumerateObject().Select(p => p.Name).FirstOrDefault();
            return AnthropicBedrockRules.ThinkingNotFirst(i, first switch
            {
                "toolUse" => "tool_use",
                "toolResult" => "tool_result",
                _ => first,
            });
        }

        return null;
    }
}
