using System.Text.Json;

namespace BedrockSimulator.Scripts;

/// <summary>
/// The scripted model's reasoning, shared by the Anthropic Messages and Converse scripts: a short thinking text
/// about the user's words, signed (<see cref="ThinkingSignature"/>) when it stands for Claude's extended thinking.
/// </summary>
internal static class ThinkingScript
{
    /// <summary>
    /// The prompt text with which Anthropic documents how to make Claude return a redacted thinking block, for testing
    /// (Anthropic's extended-thinking page, "Thinking redaction", read 2026-12-05); the simulator honours it the same way.
    /// </summary>
    public const string RedactedTrigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB";

    public static bool AsksForRedacted(string userText) => userText.Contains(RedactedTrigger, StringComparison.Ordinal);

    /// <summary>A thinking block; its pieces are streamed as reasoning deltas.</summary>
    public static ReplyBlock Block(string userText, bool signed)
    {
        var trimmed = userText.Trim();
        var thinking = $"The user asked: {(trimmed.Length <= 80 ? trimmed : trimmed[..80])}. I will answer with the scripted reply.";
        return new ReplyBlock(null, null, ChunkSplitter.Split(thinking, 2))
        {
            ThinkingText = thinking,
            Signature = signed ? ThinkingSignature.Sign(thinking) : null,
        };
    }

    /// <summary>
    /// What a Converse request asks for: Claude's <c>thinking</c> (enabled or adaptive) → signed thinking;
    /// gpt-oss's <c>reasoning_effort</c> or Nova 2's enabled <c>reasoningConfig</c> → reasoning text without a signature.
    /// </summary>
    public static (bool Reasons, bool Signed) ConverseRequest(JsonElement root)
    {
        if (!root.TryGetProperty("additionalModelRequestFields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return (false, false);
        }

        if (Validation.AnthropicBedrockRules.ThinkingEnabled(fields))
        {
            return (true, true);
        }

        var unsigned = fields.TryGetProperty("reasoning_effort", out _)
            || (fields.TryGetProperty("reasoningConfig", out var config) && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("type", out var type) && type.ValueEquals("enabled"));
        return (unsigned, false);
    }

    /// <summary>The reply with its reasoning first (and a redacted block after it when asked for), output tokens recounted.</summary>
    public static ScriptedReply Prepend(ScriptedReply reply, ReplyBlock thinking, bool redacted)
    {
        List<ReplyBlock> blocks = [thinking];
        if (redacted)
        {
            blocks.Add(new ReplyBlock(null, null, []) { RedactedData = ThinkingSignature.RedactedData });
        }

        blocks.AddRange(reply.Blocks);
        return reply with { Blocks = blocks, OutputTokens = TokenRules.OutputTokens(blocks) };
    }
}
