using System.Text.Json;
using System.Text.RegularExpressions;
using BedrockSimulator.Wire;

namespace BedrockSimulator.Scripts;

/// <summary>
/// Chooses the scripted answer to an Anthropic Messages body, as <see cref="ConverseScript"/> does for Converse:
/// <list type="bullet">
/// <item>the last user turn carries a <c>tool_result</c>: answer with what the tool returned (top_song's JSON becomes
/// "The most popular song on … is … by …"; anything else is quoted);</item>
/// <item>Claude Code's file-reading tool (<c>Read</c>, input <c>file_path</c>) is offered and the prompt names a file
/// path: ask for that file;</item>
/// <item>tools are offered and none is one of Claude Code's own (so Claude Code's ordinary prompts are echoed): call the first;</item>
/// <item>otherwise echo.</item>
/// </list>
/// With thinking on, the answer starts with a signed thinking block.
/// </summary>
internal static partial class AnthropicScript
{
    public const string ReadTool = "Read";

    /// <summary>Claude Code's built-in tool names: a request offering one of them is Claude Code's, and is echoed unless it names a file.</summary>
    private static readonly HashSet<string> ClaudeCodeTools = new(StringComparer.Ordinal)
    {
        ReadTool, "Bash", "Edit", "Write", "Glob", "Grep", "Task", "TodoWrite", "WebFetch", "WebSearch", "NotebookEdit",
    };

    public static ScriptedReply? Build(JsonElement root, PlaybackSettings settings, out string error)
    {
        error = string.Empty;
        if (RequestText.LastUserMessage(root) is not { } lastUser)
        {
            error = "messages: the last message must have role 'user'.";
            return null;
        }

        var inputTexts = RequestText.CountedTexts(root);
        var userText = RequestText.MessageText(lastUser);
        var blocks = new List<ReplyBlock>();
        if (Validation.AnthropicBedrockRules.ThinkingEnabled(root))
        {
            blocks.Add(ThinkingScript.Block(userText, signed: true));
        }

        var stop = "end_turn";
        if (FindToolResult(lastUser) is { } result)
        {
            Add(blocks, AnswerFromResult(root, result), settings);
        }
        else if (FindTool(root, ReadTool) is not null && FilePath(lastUser) is { } path)
        {
            Add(blocks, $"Let me read {path}.", settings);
            blocks.Add(ToolBlock(root, ReadTool, JsonBytes.Write(w => w.WriteString("file_path", path)), settings));
            stop = "tool_use";
        }
        else if (!Tools(root).Any(t => ClaudeCodeTools.Contains(t.GetProperty("name").GetString()!)) && FirstTool(root) is { } tool)
        {
            var name = tool.GetProperty("name").GetString()!;
            var property = FirstInputProperty(tool);
            Add(blocks, $"Let me call {name}.", settings);
            blocks.Add(ToolBlock(root, name, JsonBytes.Write(w => w.WriteString(property, ToolScript.LastWord(userText))), settings));
            stop = "tool_use";
        }
        else
        {
            Add(blocks, EchoScript.AnswerText(userText, settings), settings);
        }

        return new ScriptedReply(blocks, stop, TokenRules.InputTokens(inputTexts), TokenRules.OutputTokens(blocks));
    }

    private static void Add(List<ReplyBlock> blocks, string text, PlaybackSettings settings) =>
        blocks.Add(new ReplyBlock(text, null, ChunkSplitter.Split(text, settings.Chunks)));

    private static ReplyBlock ToolBlock(JsonElement root, string name, byte[] input, PlaybackSettings settings)
    {
        var inputJson = System.Text.Encoding.UTF8.GetString(input);
        var assistantTurns = root.GetProperty("messages").EnumerateArray()
            .Count(m => m.TryGetProperty("role", out var r) && r.ValueEquals("assistant"));
        return new ReplyBlock(null, new ToolCall($"toolu_sim_{assistantTurns + 1}", name, inputJson),
            ChunkSplitter.Split(inputJson, Math.Max(3, settings.Chunks)));
    }

    private static IEnumerable<JsonElement> Tools(JsonElement root) =>
        root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
            : [];

    private static JsonElement? FirstTool(JsonElement root) => Tools(root).Select(t => (JsonElement?)t).FirstOrDefault();

    private static JsonElement? FindTool(JsonElement root, string name) =>
        Tools(root).Where(t => t.GetProperty("name").ValueEquals(name)).Select(t => (JsonElement?)t).FirstOrDefault();

    private static string FirstInputProperty(JsonElement tool)
    {
        if (tool.TryGetProperty("input_schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
                && required.GetArrayLength() > 0 && required[0].ValueKind == JsonValueKind.String)
            {
                return required[0].GetString()!;
            }

            if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    return property.Name;
                }
            }
        }

        return "input";
    }

    /// <summary>An absolute path (or <c>~/</c>…) in the user's own words: its text blocks, last first, Claude Code's system reminders skipped.</summary>
    private static string? FilePath(JsonElement lastUser)
    {
        var content = lastUser.GetProperty("content");
        var texts = content.ValueKind == JsonValueKind.String
            ? [content.GetString()!]
            : content.EnumerateArray()
                .Where(b => b.TryGetProperty("type", out var t) && t.ValueEquals("text") && b.TryGetProperty("text", out var x) && x.ValueKind == JsonValueKind.String)
                .Select(b => b.GetProperty("text").GetString()!).Reverse().ToList();
        foreach (var text in texts)
        {
            if (text.TrimStart().StartsWith("<system-reminder>", StringComparison.Ordinal))
            {
                continue;
            }

            if (PathPattern().Match(text) is { Success: true } match)
            {
                return match.Value.TrimEnd('.', ',', ';', ':', '?', '!', ')', '"', '\'');
            }
        }

        return null;
    }

    private static JsonElement? FindToolResult(JsonElement userMessage)
    {
        if (userMessage.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueEquals("tool_result"))
                {
                    return block;
                }
            }
        }

        return null;
    }

    /// <summary>top_song's <c>{"song","artist"}</c> as a sentence; any other result quoted ("The tool returned: …").</summary>
    private static string AnswerFromResult(JsonElement root, JsonElement result)
    {
        var failed = result.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True;
        var text = ResultText(result);
        if (!failed)
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("song", out var song) && json.RootElement.TryGetProperty("artist", out var artist))
                {
                    var input = ToolInputValue(root, result.GetProperty("tool_use_id").GetString());
                    var where = input is null ? string.Empty : $" on {input}";
                    return $"The most popular song{where} is {song.GetString()} by {artist.GetString()}.";
                }
            }
            catch (JsonException)
            {
                // Not JSON: quoted as it is.
            }
        }

        return (failed ? "The tool failed: " : "The tool returned: ") + (text.Length == 0 ? "(nothing)" : text) + ".";
    }

    private static string ResultText(JsonElement result)
    {
        if (!result.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : content.ValueKind == JsonValueKind.Array
                ? string.Join(" ", content.EnumerateArray()
                    .Where(b => b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    .Select(b => b.GetProperty("text").GetString()))
                : content.GetRawText();
    }

    private static string? ToolInputValue(JsonElement root, string? toolUseId)
    {
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("type", out var type) && type.ValueEquals("tool_use")
                    && block.TryGetProperty("id", out var id) && id.GetString() == toolUseId
                    && block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in input.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.String)
                        {
                            return property.Value.GetString();
                        }
                    }
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?<![\w/])(?:~|\.{0,2})?/[\w.\-/]+")]
    private static partial Regex PathPattern();
}
