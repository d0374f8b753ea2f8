using System.Text.Json;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatRequestTranslator;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI <c>tools</c> + <c>tool_choice</c> → Converse <c>toolConfig</c>. <c>auto</c> → <c>{"auto":{}}</c>,
/// <c>required</c> → <c>{"any":{}}</c>, a named function → <c>{"tool":{"name"}}</c>. Converse has no "none": the
/// toolConfig is left out, which forbids tool calls just as well; Converse then refuses toolUse / toolResult blocks,
/// so <see cref="ChatMessagesTranslator"/> writes the history's tool calls as text. The definitions are checked for
/// consistency first (unique names, object schemas, a tool_choice naming a defined tool), because Bedrock refuses
/// what is inconsistent and the caller should hear it in OpenAI's words, before anything is reserved or billed.
/// </summary>
internal static class ChatToolsTranslator
{
    /// <summary>Checks tools and tool_choice together; true when a toolConfig is to be written (tools given, choice not "none").</summary>
    public static bool WritesToolConfig(JsonElement root)
    {
        JsonElement? tools = Get(root, "tools");
        JsonElement? choice = Get(root, "tool_choice");
        if (choice is not null && tools is null)
        {
            throw new ChatRequestException("tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
        }
        if (Get(root, "parallel_tool_calls") is { } parallel)
        {
            if (tools is null)
            {
                throw new ChatRequestException("parallel_tool_calls",
                    "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.");
            }
            if (parallel.ValueKind != JsonValueKind.True)
            {
                throw ChatRequestException.Unsupported("parallel_tool_calls",
                    "Converse cannot forbid parallel tool calls; omit 'parallel_tool_calls' or send true.");
            }
        }
        if (tools is not { } list)
        {
            return false;
        }
        HashSet<string> names = CheckDefinitions(list);
        if (choice is not { } c)
        {
            return true;
        }
        if (c.ValueKind == JsonValueKind.String)
        {
            return !c.ValueEquals("none");
        }
        string type = c.GetProperty("type").GetString()!;
        if (type != "function")
        {
            throw ChatRequestException.Unsupported("tool_choice.type", $"tool_choice type '{type}' is not supported; name a function or use none, auto or required.");
        }
        string name = RequiredString(Required(c, "function", "tool_choice.function"), "name", "tool_choice.function.name");
        if (!names.Contains(name))
        {
            throw new ChatRequestException("tool_choice.function.name",
                $"Invalid value for 'tool_choice': tool choice '{name}' not found in 'tools' parameter.");
        }
        return true;
    }

    /// <summary>Writes <c>toolConfig</c>; <see cref="WritesToolConfig"/> has checked everything it reads.</summary>
    public static void Write(Utf8JsonWriter json, JsonElement root)
    {
        json.WriteStartObject("toolConfig");
        json.WriteStartArray("tools");
        foreach (JsonElement tool in root.GetProperty("tools").EnumerateArray())
        {
            WriteTool(json, tool.GetProperty("function"));
        }
        json.WriteEndArray();
        if (Get(root, "tool_choice") is { } choice)
        {
            json.WriteStartObject("toolChoice");
            if (choice.ValueKind == JsonValueKind.String)
            {
                json.WriteStartObject(choice.ValueEquals("required") ? "any" : "auto");
            }
            else
            {
                json.WriteStartObject("tool");
                json.WriteString("name", choice.GetProperty("function").GetProperty("name").GetString());
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>The tools' names, each checked: function tools only, present, unique, with an object schema.</summary>
    private static HashSet<string> CheckDefinitions(JsonElement tools)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            string at = $"tools[{index++}]";
            if (!tool.GetProperty("type").ValueEquals("function"))
            {
                throw ChatRequestException.Unsupported(at + ".type", "Custom tools are not supported; only 'function' tools are.");
            }
            JsonElement function = Required(tool, "function", at + ".function");
            string name = function.GetProperty("name").GetString()!;
            if (!names.Add(name))
            {
                // Bedrock refuses duplicate tool names; which of two definitions the caller meant cannot be guessed.
                throw new ChatRequestException(at + ".function.name", $"Invalid 'tools': the tool name '{name}' is defined more than once. Tool names must be unique.");
            }
            if (Get(function, "parameters") is { } parameters
                && parameters.TryGetProperty("type", out JsonElement schemaType) && !schemaType.ValueEquals("object"))
            {
                throw new ChatRequestException(at + ".function.parameters",
                    $"Invalid schema for function '{name}': schema must be a JSON Schema of 'type: \"object\"', got 'type: {schemaType.GetRawText()}'.",
                    "invalid_function_parameters");
            }
        }
        return names;
    }

    private static void WriteTool(Utf8JsonWriter json, JsonElement function)
    {
        json.WriteStartObject();
        json.WriteStartObject("toolSpec");
        json.WriteString("name", function.GetProperty("name").GetString());
        if (Get(function, "description") is { } description && description.GetString()!.Length > 0)
        {
            json.WriteString("description", description.GetString());
        }
        json.WriteStartObject("inputSchema");
        json.WritePropertyName("json");
        if (Get(function, "parameters") is { } parameters)
        {
            parameters.WriteTo(json);
        }
        else
        {
            // OpenAI allows a function without parameters; Converse needs a schema.
            json.WriteStartObject();
            json.WriteString("type", "object");
            json.WriteStartObject("properties");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
