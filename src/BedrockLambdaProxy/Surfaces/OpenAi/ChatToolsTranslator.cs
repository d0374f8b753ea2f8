using System.Text.Json;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatRequestTranslator;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI <c>tools</c> + <c>tool_choice</c> → Converse <c>toolConfig</c>. <c>auto</c> → <c>{"auto":{}}</c>,
/// <c>required</c> → <c>{"any":{}}</c>, a named function → <c>{"tool":{"name"}}</c>. Converse has no
/// "none": the tools are left out, which forbids tool calls just as well, unless the history holds
/// tool calls (Converse then requires the tools), which is refused rather than quietly allowed.
/// </summary>
internal static class ChatToolsTranslator
{
    public static void Write(Utf8JsonWriter json, JsonElement root, bool historyHasTools)
    {
        JsonElement? tools = Get(root, "tools");
        JsonElement? choice = Get(root, "tool_choice");
        if (Get(root, "parallel_tool_calls") is { } parallel && parallel.ValueKind != JsonValueKind.True)
        {
            throw new ChatRequestException("parallel_tool_calls",
                "Converse cannot forbid parallel tool calls; omit 'parallel_tool_calls' or send true.", "unsupported_parameter");
        }
        bool anyTools = tools is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0;
        if (tools is { } t && t.ValueKind != JsonValueKind.Array)
        {
            throw new ChatRequestException("tools", "'tools' must be an array.");
        }
        if (choice is not null && !anyTools)
        {
            throw new ChatRequestException("tool_choice", "'tool_choice' is only allowed when 'tools' are specified.");
        }
        if (!anyTools)
        {
            return;
        }
        if (choice is { ValueKind: JsonValueKind.String } none && none.ValueEquals("none"))
        {
            if (historyHasTools)
            {
                throw new ChatRequestException("tool_choice",
                    "tool_choice 'none' cannot be honoured on Bedrock when the conversation already holds tool calls "
                    + "(Converse then requires the tools, and has no way to forbid using them). Use 'auto'.", "unsupported_parameter");
            }
            return;
        }

        json.WriteStartObject("toolConfig");
        json.WriteStartArray("tools");
        int index = 0;
        foreach (JsonElement tool in tools!.Value.EnumerateArray())
        {
            WriteTool(json, tool, $"tools[{index++}]");
        }
        json.WriteEndArray();
        if (choice is { } c)
        {
            WriteChoice(json, c);
        }
        json.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter json, JsonElement tool, string at)
    {
        Expect(tool, JsonValueKind.Object, at);
        string type = RequiredString(tool, "type", at + ".type");
        if (type != "function")
        {
            throw new ChatRequestException(at + ".type", $"Tool type '{type}' is not supported; only 'function' tools are.", "unsupported_parameter");
        }
        JsonElement function = Required(tool, "function", at + ".function");
        Expect(function, JsonValueKind.Object, at + ".function");
        json.WriteStartObject();
        json.WriteStartObject("toolSpec");
        json.WriteString("name", RequiredString(function, "name", at + ".function.name"));
        if (Get(function, "description") is { ValueKind: JsonValueKind.String } description && description.GetString()!.Length > 0)
        {
            json.WriteString("description", description.GetString());
        }
        json.WriteStartObject("inputSchema");
        json.WritePropertyName("json");
        if (Get(function, "parameters") is { } parameters)
        {
            Expect(parameters, JsonValueKind.Object, at + ".function.parameters");
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

    private static void WriteChoice(Utf8JsonWriter json, JsonElement choice)
    {
        json.WriteStartObject("toolChoice");
        if (choice.ValueKind == JsonValueKind.String)
        {
            string mode = choice.GetString()!;
            json.WriteStartObject(mode switch
            {
                "auto" => "auto",
                "required" => "any",
                _ => throw new ChatRequestException("tool_choice", $"tool_choice '{mode}' is not one of none, auto, required."),
            });
            json.WriteEndObject();
        }
        else
        {
            Expect(choice, JsonValueKind.Object, "tool_choice");
            if (RequiredString(choice, "type", "tool_choice.type") != "function")
            {
                throw new ChatRequestException("tool_choice.type", "A named tool_choice must have type 'function'.");
            }
            JsonElement function = Required(choice, "function", "tool_choice.function");
            Expect(function, JsonValueKind.Object, "tool_choice.function");
            json.WriteStartObject("tool");
            json.WriteString("name", RequiredString(function, "name", "tool_choice.function.name"));
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
