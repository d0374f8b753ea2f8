using System.Text.Json;
using BedrockSimulator.Wire;

namespace BedrockSimulator.Scripts;

/// <summary>
/// Chooses the scripted answer to a Converse request: echo, or the tool-use round trip when the request
/// carries a <c>toolConfig</c> (call the first tool) or its last user message carries a <c>toolResult</c> (answer with it).
/// With reasoning asked for (<see cref="ThinkingScript.ConverseRequest"/>) the answer starts with a reasoning block.
/// </summary>
internal static class ConverseScript
{
    public static ScriptedReply? Build(JsonElement root, PlaybackSettings settings, out string error)
    {
        if (Answer(root, settings, out error) is not { } reply)
        {
            return null;
        }

        (bool reasons, bool signed) = ThinkingScript.ConverseRequest(root);
        var userText = RequestText.MessageText(RequestText.LastUserMessage(root)!.Value);
        return reasons ? ThinkingScript.Prepend(reply, ThinkingScript.Block(userText, signed), signed && ThinkingScript.AsksForRedacted(userText)) : reply;
    }

    private static ScriptedReply? Answer(JsonElement root, PlaybackSettings settings, out string error)
    {
        error = string.Empty;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages)
            || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            error = "The request must contain a non-empty 'messages' array.";
            return null;
        }

        if (RequestText.LastUserMessage(root) is not { } lastUser)
        {
            error = "A conversation must end with a user message. Try again with a conversation that ends with a user message.";
            return null;
        }

        var inputTexts = RequestText.CountedTexts(root);
        var userText = RequestText.MessageText(lastUser);
        if (ToolScript.FindToolResult(lastUser) is { } toolResult)
        {
            return EchoScript.TextReply(ToolScript.AnswerFromResult(root, toolResult), inputTexts, settings);
        }

        if (ToolScript.FirstTool(root) is { } tool)
        {
            return ToolCallReply(root, tool, userText, inputTexts, settings);
        }

        return EchoScript.Reply(userText, inputTexts, settings);
    }

    private static ScriptedReply ToolCallReply(JsonElement root, JsonElement toolSpec, string userText,
        IReadOnlyList<string> inputTexts, PlaybackSettings settings)
    {
        var name = toolSpec.GetProperty("name").GetString()!;
        var property = ToolScript.FirstInputProperty(toolSpec);
        var value = ToolScript.LastWord(userText);
        var inputJson = System.Text.Encoding.UTF8.GetString(JsonBytes.Write(w => w.WriteString(property, value)));
        var assistantTurns = root.GetProperty("messages").EnumerateArray()
            .Count(m => m.TryGetProperty("role", out var r) && r.ValueEquals("assistant"));
        var call = new ToolCall($"tooluse_sim_{assistantTurns + 1}", name, inputJson);

        var text = $"Let me call {name}.";
        ReplyBlock[] blocks =
        [
            new ReplyBlock(text, null, [text]),
            new ReplyBlock(null, call, ChunkSplitter.Split(inputJson, Math.Max(3, settings.Chunks))),
        ];
        return new ScriptedReply(blocks, "tool_use", TokenRules.InputTokens(inputTexts), TokenRules.OutputTokens(blocks));
    }
}
