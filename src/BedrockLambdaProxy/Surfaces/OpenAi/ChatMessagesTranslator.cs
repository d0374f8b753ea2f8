using System.Buffers.Text;
using System.Text.Json;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatRequestTranslator;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI <c>messages</c> → Converse <c>system</c> + <c>messages</c>. Converse wants system text at the
/// top level, strictly alternating user/assistant turns (consecutive same-role messages are merged),
/// tool results as <c>toolResult</c> blocks in a user turn (first in it), and no empty text blocks.
/// The history's tool calls are checked as OpenAI checks them: every <c>tool</c> message answers a call of the
/// assistant message just before it, and every call is answered before the conversation goes on.
/// </summary>
internal static class ChatMessagesTranslator
{
    private static readonly ParamCheck ImageDetail = ParamChecks.OneOf("auto", "low", "high");

    /// <summary>Writes <c>messages</c> (and <c>system</c>).</summary>
    /// <param name="toolConfig">
    /// Whether the request will carry a toolConfig. Without one Converse refuses toolUse and toolResult blocks, so the
    /// history's tool calls and results are written as text the model can still read (tool_choice "none").
    /// </param>
    public static void Write(Utf8JsonWriter json, JsonElement messages, bool toolConfig, List<JsonDocument> owned)
    {
        var system = new List<string>();
        var turns = new List<(string Role, List<ConverseBlock> Blocks)>();
        var calls = new ToolCallLedger();
        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string at = $"messages[{index++}]";
            Expect(message, JsonValueKind.Object, at);
            string role = RequiredString(message, "role", at + ".role");
            if (Get(message, "name") is { } name)
            {
                Expect(name, JsonValueKind.String, at + ".name");
            }
            if (role != "tool")
            {
                calls.ExpectNoneOpen();
            }
            List<ConverseBlock> blocks;
            switch (role)
            {
                case "system" or "developer":
                    system.AddRange(Texts(message, at, allowRefusal: false).Where(text => !string.IsNullOrWhiteSpace(text)));
                    continue;
                case "user":
                    blocks = UserBlocks(message, at);
                    break;
                case "assistant":
                    blocks = AssistantBlocks(message, at, toolConfig, calls, owned);
                    break;
                case "tool":
                    blocks = [ToolResult(message, at, toolConfig, calls, owned)];
                    role = "user";
                    break;
                case "function":
                    throw new ChatRequestException(at + ".role", "The 'function' role is deprecated and not supported; use 'tool'.", "unsupported_parameter");
                default:
                    throw new ChatRequestException(at + ".role", $"Unknown role '{role}': use system, developer, user, assistant or tool.");
            }
            if (blocks.Count == 0)
            {
                // An assistant turn with neither text nor tool calls, or an empty user text: Converse
                // rejects empty content, and the message said nothing.
                continue;
            }
            if (turns.Count > 0 && turns[^1].Role == role)
            {
                turns[^1].Blocks.AddRange(blocks);
            }
            else
            {
                turns.Add((role, blocks));
            }
        }
        calls.ExpectNoneOpen();
        if (turns.Count == 0)
        {
            throw new ChatRequestException("messages", "'messages' needs at least one user message with content.");
        }

        json.WriteStartArray("messages");
        foreach ((string role, List<ConverseBlock> blocks) in turns)
        {
            json.WriteStartObject();
            json.WriteString("role", role);
            json.WriteStartArray("content");
            // Tool results first within a user turn, thinking first within an assistant turn; the stable order keeps
            // everything else as sent.
            foreach (ConverseBlock block in blocks.Where(b => b.LeadsTurn).Concat(blocks.Where(b => !b.LeadsTurn)))
            {
                block.WriteTo(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        if (system.Count > 0)
        {
            json.WriteStartArray("system");
            foreach (string text in system)
            {
                json.WriteStartObject();
                json.WriteString("text", text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
    }

    private static List<ConverseBlock> UserBlocks(JsonElement message, string at)
    {
        var blocks = new List<ConverseBlock>();
        JsonElement content = Required(message, "content", at + ".content");
        if (content.ValueKind == JsonValueKind.String)
        {
            AddText(blocks, content.GetString()!);
            return blocks;
        }
        foreach ((JsonElement part, string partAt, string type) in Parts(content, at))
        {
            switch (type)
            {
                case "text":
                    AddText(blocks, RequiredString(part, "text", partAt + ".text"));
                    break;
                case "image_url":
                    blocks.Add(Image(Required(part, "image_url", partAt + ".image_url"), partAt + ".image_url"));
                    break;
                default:
                    throw new ChatRequestException(partAt + ".type",
                        $"Content part type '{type}' is not supported: use 'text' or 'image_url' (a data URL).", "unsupported_parameter");
            }
        }
        return blocks;
    }

    /// <summary>An image part: only base64 data URLs, because the proxy does not fetch URLs for its callers.</summary>
    private static ConverseBlock Image(JsonElement imageUrl, string at)
    {
        string url = imageUrl.ValueKind == JsonValueKind.String ? imageUrl.GetString()! : RequiredString(imageUrl, "url", at + ".url");
        if (imageUrl.ValueKind == JsonValueKind.Object && Get(imageUrl, "detail") is { } detail)
        {
            ImageDetail(detail, at + ".detail");
        }
        const string Marker = ";base64,";
        int marker = url.IndexOf(Marker, StringComparison.Ordinal);
        if (!url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) || marker < 0)
        {
            throw new ChatRequestException(at + ".url",
                "Only data URLs (data:image/png;base64,…) are supported for images; the proxy does not download URLs.", "unsupported_parameter");
        }
        string mediaType = url["data:image/".Length..marker].ToLowerInvariant();
        string format = mediaType switch
        {
            "png" => "png",
            "jpeg" or "jpg" => "jpeg",
            "gif" => "gif",
            "webp" => "webp",
            _ => throw new ChatRequestException(at + ".url", $"Image type 'image/{mediaType}' is not supported: use png, jpeg, gif or webp.", "unsupported_parameter"),
        };
        string base64 = url[(marker + Marker.Length)..];
        if (base64.Length == 0 || !Base64.IsValid(base64))
        {
            throw new ChatRequestException(at + ".url", "The image data URL does not hold valid base64.");
        }
        return ConverseBlock.Image(format, base64);
    }

    private static List<ConverseBlock> AssistantBlocks(JsonElement message, string at, bool toolConfig, ToolCallLedger ledger, List<JsonDocument> owned)
    {
        List<ConverseBlock> blocks = ThinkingBlocks.Read(message, at);
        if (Get(message, "content") is not null)
        {
            foreach (string text in Texts(message, at, allowRefusal: true))
            {
                AddText(blocks, text);
            }
        }
        if (Get(message, "refusal") is { } refusal)
        {
            Expect(refusal, JsonValueKind.String, at + ".refusal");
        }
        if (Get(message, "function_call") is not null)
        {
            throw ChatRequestException.Unsupported(at + ".function_call", "'function_call' is deprecated and not supported; use 'tool_calls'.");
        }
        if (Get(message, "tool_calls") is not { } calls)
        {
            return blocks;
        }
        Expect(calls, JsonValueKind.Array, at + ".tool_calls");
        var ids = new List<string>();
        int index = 0;
        foreach (JsonElement call in calls.EnumerateArray())
        {
            string callAt = $"{at}.tool_calls[{index++}]";
            Expect(call, JsonValueKind.Object, callAt);
            string id = RequiredString(call, "id", callAt + ".id");
            string type = RequiredString(call, "type", callAt + ".type");
            if (type != "function")
            {
                throw ChatRequestException.Unsupported(callAt + ".type", $"Tool call type '{type}' is not supported; only 'function' tool calls are.");
            }
            JsonElement function = Required(call, "function", callAt + ".function");
            Expect(function, JsonValueKind.Object, callAt + ".function");
            string name = RequiredString(function, "name", callAt + ".function.name");
            string arguments = RequiredString(function, "arguments", callAt + ".function.arguments");
            JsonElement input = ParseArguments(arguments, callAt + ".function.arguments", owned);
            blocks.Add(toolConfig
                ? ConverseBlock.ToolUse(id, name, input)
                : ConverseBlock.Text($"[Called tool {name} (call id {id}) with arguments {input.GetRawText()}]"));
            ids.Add(id);
        }
        ledger.Open(at, ids);
        return blocks;
    }

    /// <summary>OpenAI carries tool arguments as a JSON string; Converse wants the object itself.</summary>
    private static JsonElement ParseArguments(string arguments, string at, List<JsonDocument> owned)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
        }
        catch (JsonException)
        {
            throw new ChatRequestException(at, "Tool call arguments must be a JSON object encoded as a string.");
        }
        owned.Add(parsed);
        if (parsed.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException(at, "Tool call arguments must be a JSON object encoded as a string.");
        }
        return parsed.RootElement;
    }

    private static ConverseBlock ToolResult(JsonElement message, string at, bool toolConfig, ToolCallLedger ledger, List<JsonDocument> owned)
    {
        string id = RequiredString(message, "tool_call_id", at + ".tool_call_id");
        ledger.Answer(at, id);
        string text = string.Concat(Texts(message, at, allowRefusal: false));
        if (!toolConfig)
        {
            return ConverseBlock.Text($"[Result of tool call {id}]: " + (text.Length == 0 ? "(empty)" : text));
        }
        // A result that is a JSON object goes to the model as JSON, as Converse's own clients send it.
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                JsonDocument parsed = JsonDocument.Parse(text);
                owned.Add(parsed);
                return ConverseBlock.ToolResult(id, null, parsed.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON after all: it stays text.
            }
        }
        return ConverseBlock.ToolResult(id, text.Length == 0 ? "(empty)" : text, null);
    }

    /// <summary>The text of a message whose content is a string or an array of text parts.</summary>
    private static List<string> Texts(JsonElement message, string at, bool allowRefusal)
    {
        JsonElement content = Required(message, "content", at + ".content");
        if (content.ValueKind == JsonValueKind.String)
        {
            return [content.GetString()!];
        }
        var texts = new List<string>();
        foreach ((JsonElement part, string partAt, string type) in Parts(content, at))
        {
            if (type == "text")
            {
                texts.Add(RequiredString(part, "text", partAt + ".text"));
            }
            else if (!(allowRefusal && type == "refusal"))
            {
                throw new ChatRequestException(partAt + ".type", $"Only text parts are allowed in this message, not '{type}'.", "unsupported_parameter");
            }
        }
        return texts;
    }

    /// <summary>The parts of an array content, each with its path for error messages and its type.</summary>
    private static IEnumerable<(JsonElement Part, string At, string Type)> Parts(JsonElement content, string at)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw ChatRequestException.WrongType(at + ".content", "a string or an array of content parts", content);
        }
        if (content.GetArrayLength() == 0)
        {
            throw ChatRequestException.TooFewItems(at + ".content", 1, 0);
        }
        int index = 0;
        foreach (JsonElement part in content.EnumerateArray())
        {
            string partAt = $"{at}.content[{index++}]";
            Expect(part, JsonValueKind.Object, partAt);
            yield return (part, partAt, RequiredString(part, "type", partAt + ".type"));
        }
    }

    // Converse rejects blank text blocks; an empty string adds nothing to the conversation.
    private static void AddText(List<ConverseBlock> blocks, string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            blocks.Add(ConverseBlock.Text(text));
        }
    }
}
