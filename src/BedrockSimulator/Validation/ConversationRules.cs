using System.Text.Json;

namespace BedrockSimulator.Validation;

/// <summary>
/// The Converse rules a schema cannot say, each with Bedrock's own wording:
/// https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html (a conversation starts
/// with a user message and alternates user / assistant) and
/// https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html (toolUse and toolResult
/// blocks need the toolConfig that defines the tools). Run after the schema, so the shapes are known to be right.
/// </summary>
internal static class ConversationRules
{
    public const string EmptyMessages = "The request must contain a non-empty 'messages' array.";

    public const string FirstNotUser =
        "A conversation must start with a user message. Try again with a conversation that starts with a user message.";

    public const string NotAlternating =
        "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";

    public const string ToolBlocksWithoutConfig =
        "The toolConfig field must be defined when using toolUse and toolResult content blocks.";

    private static readonly Func<JsonElement, string?>[] Rules = [Roles, ToolBlocks, ConverseThinkingRules.Check];

    public static string? Check(JsonElement root)
    {
        foreach (Func<JsonElement, string?> rule in Rules)
        {
            if (rule(root) is string error)
            {
                return error;
            }
        }
        return null;
    }

    private static string? Roles(JsonElement root)
    {
        JsonElement messages = root.GetProperty("messages");
        if (messages.GetArrayLength() == 0)
        {
            return EmptyMessages;
        }
        string? previous = null;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string role = message.GetProperty("role").GetString()!;
            if (previous is null && role != "user")
            {
                return FirstNotUser;
            }
            if (role == previous)
            {
                return NotAlternating;
            }
            previous = role;
        }
        return null;
    }

    private static string? ToolBlocks(JsonElement root)
    {
        if (root.TryGetProperty("toolConfig", out JsonElement config) && config.ValueKind == JsonValueKind.Object)
        {
            return null;
        }
        foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
        {
            foreach (JsonElement block in message.GetProperty("content").EnumerateArray())
            {
                if (block.TryGetProperty("toolUse", out _) || block.TryGetProperty("toolResult", out _))
                {
                    return ToolBlocksWithoutConfig;
                }
            }
        }
        return null;
    }
}
