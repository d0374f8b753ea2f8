using System.Text.Json;

namespace BedrockSimulator.Scripts;

/// <summary>The rules of the scripted tool use: which tool, which input, and how a tool result becomes the answer.</summary>
internal static class ToolScript
{
    /// <summary>The first <c>toolSpec</c> in <c>toolConfig.tools</c>, if any.</summary>
    public static JsonElement? FirstTool(JsonElement root)
    {
        if (root.TryGetProperty("toolConfig", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("toolSpec", out var spec)
                    && spec.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    return spec;
                }
            }
        }

        return null;
    }

    /// <summary>The first <c>required</c> property of the tool's JSON schema, else its first property, else "input".</summary>
    public static string FirstInputProperty(JsonElement toolSpec)
    {
        if (toolSpec.TryGetProperty("inputSchema", out var schema) && schema.TryGetProperty("json", out var json)
            && json.ValueKind == JsonValueKind.Object)
        {
            if (json.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
                && required.GetArrayLength() > 0 && required[0].ValueKind == JsonValueKind.String)
            {
                return required[0].GetString()!;
            }

            if (json.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    return property.Name;
                }
            }
        }

        return "input";
    }

    /// <summary>The last word of the user's text without surrounding punctuation ("… on WZPZ?" → "WZPZ").</summary>
    public static string LastWord(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var word = words.Length == 0 ? string.Empty : words[^1].Trim(['?', '!', '.', ',', ';', ':', '"', '\'', '(', ')']);
        return word.Length == 0 ? "value" : word;
    }

    public static JsonElement? FindToolResult(JsonElement userMessage)
    {
        if (userMessage.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("toolResult", out var result))
                {
                    return result;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A JSON result with <c>song</c> and <c>artist</c> gives "The most popular song on {input} is {song} by {artist}.";
    /// any other result is quoted: "The tool returned: {text or compact JSON}."
    /// </summary>
    public static string AnswerFromResult(JsonElement root, JsonElement toolResult)
    {
        var failed = toolResult.TryGetProperty("status", out var status) && status.ValueEquals("error");
        var first = toolResult.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            && content.GetArrayLength() > 0 ? content[0] : default;
        if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("json", out var json))
        {
            if (!failed && json.ValueKind == JsonValueKind.Object
                && json.TryGetProperty("song", out var song) && json.TryGetProperty("artist", out var artist))
            {
                var input = ToolInputValue(root, toolResult);
                var where = input is null ? string.Empty : $" on {input}";
                return $"The most popular song{where} is {song} by {artist}.";
            }

            return (failed ? "The tool failed: " : "The tool returned: ") + json.GetRawText() + ".";
        }

        var text = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("text", out var t) ? t.GetString() : null;
        return (failed ? "The tool failed: " : "The tool returned: ") + (text ?? "(nothing)") + ".";
    }

    /// <summary>The first string value of the matching toolUse input in the assistant's earlier message.</summary>
    private static string? ToolInputValue(JsonElement root, JsonElement toolResult)
    {
        var id = toolResult.TryGetProperty("toolUseId", out var idElement) ? idElement.GetString() : null;
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("toolUse", out var toolUse)
                    && toolUse.TryGetProperty("toolUseId", out var useId) && useId.GetString() == id
                    && toolUse.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
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
}
