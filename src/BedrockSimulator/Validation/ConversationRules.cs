using System.Text.Json;

namespace BedrockSimulator.Validation;

/// <summary>
/// The Converse rules a schema cannot say, each with Bedrock's own wording:
/// https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html (a conversation starts
/// with a user message and alternates user / assistant) and
/// https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html (toolUse and toolResult
/// blocks need the toolConfig that defines the tools). Run after the schema, so the shapes are known to be right.
/// The tool-pairing sentences are Bedrock's as ConverseStream returned them to users (agno-agi/agno#6698:
/// "Expected toolResult blocks at messages.2.content for the following Ids: …"; strands-agents/harness-sdk#1435:
/// "The number of toolResult blocks at messages.N.content exceeds the number of toolUse blocks of previous turn.").
/// Duplicate tool names and a toolChoice naming an undefined tool are refused by Bedrock too, but no public
/// record of its wording was found (searched 2026-12-05): those two sentences are ours, in Bedrock's sentence style.
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

    private static readonly Func<JsonElement, string?>[] Rules = [Roles, ToolBlocks, ToolNames, ToolPairing, ConverseThinkingRules.Check];

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

    /// <summary>Tool names are unique, and a toolChoice.tool names one of them.</summary>
    private static string? ToolNames(JsonElement root)
    {
        if (!root.TryGetProperty("toolConfig", out JsonElement config) || config.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement tool in config.GetProperty("tools").EnumerateArray())
        {
            if (tool.TryGetProperty("toolSpec", out JsonElement spec) && !names.Add(spec.GetProperty("name").GetString()!))
            {
                return $"The toolConfig.tools field has more than one tool named {spec.GetProperty("name").GetString()} (at toolConfig.tools.{index}). "
                    + "Give each tool a unique name and try again.";
            }
            index++;
        }
        if (config.TryGetProperty("toolChoice", out JsonElement choice) && choice.TryGetProperty("tool", out JsonElement named)
            && !names.Contains(named.GetProperty("name").GetString()!))
        {
            return $"The tool {named.GetProperty("name").GetString()} in toolConfig.toolChoice.tool isn't defined in toolConfig.tools. "
                + "Specify a tool that's defined in toolConfig.tools and try again.";
        }
        return null;
    }

    /// <summary>Every toolUse of an assistant turn is answered by a toolResult in the next turn, and no more results than calls.</summary>
    private static string? ToolPairing(JsonElement root)
    {
        List<string> expected = [];
        int index = 0;
        foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
        {
            var uses = new List<string>();
            var results = new List<string>();
            foreach (JsonElement block in message.GetProperty("content").EnumerateArray())
            {
                if (block.TryGetProperty("toolUse", out JsonElement use))
                {
                    uses.Add(use.GetProperty("toolUseId").GetString()!);
                }
                else if (block.TryGetProperty("toolResult", out JsonElement result))
                {
                    results.Add(result.GetProperty("toolUseId").GetString()!);
                }
            }
            if (results.Count > expected.Count)
            {
                return $"The number of toolResult blocks at messages.{index}.content exceeds the number of toolUse blocks of previous turn.";
            }
            List<string> missing = expected.Where(id => !results.Contains(id, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                return $"Expected toolResult blocks at messages.{index}.content for the following Ids: {string.Join(", ", missing)}";
            }
            expected = uses;
            index++;
        }
        return null;
    }
}
