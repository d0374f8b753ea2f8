using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockSimulator.Validation;

/// <summary>
/// What Bedrock's Claude Messages endpoint refuses beyond the schema: top-level fields it does not know
/// ("Extra inputs are not permitted"), beta flags it does not know ("invalid beta flag"), a thinking budget out of
/// range, and, with thinking on, a final assistant turn with tool use that does not start with its thinking block,
/// or a thinking block whose signature does not verify (changed on its way back), and tools sharing a name.
/// Fields and betas: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
/// and the extended-thinking page (read 2026-12-04), plus what Claude Code sends in Bedrock mode and Bedrock takes.
/// </summary>
internal static class AnthropicBedrockRules
{
    public static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "anthropic_version", "anthropic_beta", "max_tokens", "messages", "system", "temperature", "top_p", "top_k",
        "stop_sequences", "tools", "tool_choice", "thinking", "metadata", "output_config",
    };

    public static readonly HashSet<string> Betas = new(StringComparer.Ordinal)
    {
        "computer-use-2024-10-22", "computer-use-2025-01-24", "token-efficient-tools-2025-02-19", "output-128k-2025-02-19",
        "interleaved-thinking-2025-05-14", "dev-full-thinking-2025-05-14", "context-1m-2025-08-07",
        "context-management-2025-06-27", "effort-2025-11-24", "tool-search-tool-2025-10-19", "tool-examples-2025-10-29",

        // Sent by Claude Code 2.1.328 in Bedrock mode (which works against Bedrock), so Bedrock takes them.
        "thinking-token-count-2026-05-13", "thinking-display-updates-2026-08-18",
    };

    public const string BudgetTooSmall = "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";

    public const string MaxTokensNotAboveBudget =
        "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size";

    public static string InvalidSignature(int message, int block) => $"messages.{message}.content.{block}: Invalid `signature` in `thinking` block";

    /// <summary>Anthropic's refusal of a final assistant turn with tool use that does not start with thinking (as relayed by Bedrock in 2025-26 issue reports).</summary>
    public static string ThinkingNotFirst(int message, string? found) =>
        $"messages.{message}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{found}`. When `thinking` is enabled, "
        + "a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). "
        + "We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. "
        + "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

    /// <summary>The first refusal, worded as Bedrock words it, or null.</summary>
    public static string? Check(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                return $"{property.Name}: Extra inputs are not permitted";
            }
        }

        if (root.TryGetProperty("anthropic_beta", out var betas) && betas.ValueKind == JsonValueKind.Array)
        {
            foreach (var beta in betas.EnumerateArray())
            {
                if (beta.ValueKind != JsonValueKind.String || !Betas.Contains(beta.GetString()!))
                {
                    return "invalid beta flag";
                }
            }
        }

        return CheckToolNames(root) ?? CheckThinking(root);
    }

    /// <summary>Anthropic's own wording, which Bedrock relays for Claude (seen from the Messages API by Claude Code users, anthropics/claude-code#10687).</summary>
    private static string? CheckToolNames(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && !names.Add(name.GetString()!))
            {
                return "tools: Tool names must be unique.";
            }
        }
        return null;
    }

    /// <summary>Whether the request turns extended thinking on (<c>enabled</c> with a budget, or <c>adaptive</c>).</summary>
    public static bool ThinkingEnabled(JsonElement root) =>
        root.TryGetProperty("thinking", out var thinking) && thinking.ValueKind == JsonValueKind.Object
        && thinking.TryGetProperty("type", out var type) && (type.ValueEquals("enabled") || type.ValueEquals("adaptive"));

    private static string? CheckThinking(JsonElement root)
    {
        var messages = root.GetProperty("messages");
        for (var i = 0; i < messages.GetArrayLength(); i++)
        {
            if (messages[i].TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                for (var j = 0; j < content.GetArrayLength(); j++)
                {
                    var block = content[j];
                    if (block.TryGetProperty("type", out var type) && type.ValueEquals("thinking")
                        && !ThinkingSignature.IsValid(block.GetProperty("thinking").GetString()!,
                            block.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.String ? signature.GetString() : null))
                    {
                        return InvalidSignature(i, j);
                    }
                }
            }
        }

        if (!ThinkingEnabled(root))
        {
            return null;
        }

        var thinking = root.GetProperty("thinking");
        if (thinking.GetProperty("type").ValueEquals("enabled"))
        {
            if (!thinking.TryGetProperty("budget_tokens", out var budget) || !budget.TryGetInt64(out var tokens) || tokens < 1024)
            {
                return BudgetTooSmall;
            }

            if (root.GetProperty("max_tokens").GetInt64() <= tokens)
            {
                return MaxTokensNotAboveBudget;
            }
        }

        // The final assistant turn, if it used a tool, must start with the thinking that led to it.
        for (var i = messages.GetArrayLength() - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (!message.GetProperty("role").ValueEquals("assistant"))
            {
                continue;
            }

            if (message.GetProperty("content") is { ValueKind: JsonValueKind.Array } content && content.GetArrayLength() > 0
                && content.EnumerateArray().Any(b => b.TryGetProperty("type", out var t) && t.ValueEquals("tool_use")))
            {
                var firstType = content[0].TryGetProperty("type", out var t0) ? t0.GetString() : "unknown";
                if (firstType is not ("thinking" or "redacted_thinking"))
                {
                    return ThinkingNotFirst(i, firstType);
                }
            }

            break;
        }

        return null;
    }
}
