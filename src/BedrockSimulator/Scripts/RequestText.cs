using System.Text;
using System.Text.Json;

namespace BedrockSimulator.Scripts;

/// <summary>Reads the text the token rules count and the echo script repeats, from Converse and Anthropic-style bodies.</summary>
internal static class RequestText
{
    /// <summary>
    /// Every string-valued property named <c>text</c> or <c>content</c> anywhere under <c>messages</c> and
    /// <c>system</c>, plus <c>system</c> itself when it is a string (Anthropic). Tool inputs and JSON tool results
    /// are not text.
    /// </summary>
    public static List<string> CountedTexts(JsonElement root) => CountedTexts(root, out _);

    /// <summary>
    /// As <see cref="CountedTexts(JsonElement)"/>, and how many of those texts come before the last prompt-cache
    /// breakpoint: a block carrying Anthropic's <c>cache_control</c>, or a Converse <c>cachePoint</c> block
    /// (0 when the request has none).
    /// </summary>
    public static List<string> CountedTexts(JsonElement root, out int cachedTexts)
    {
        var texts = new List<string>();
        cachedTexts = 0;
        foreach (var name in (ReadOnlySpan<string>)["system", "messages"])
        {
            if (root.TryGetProperty(name, out var element))
            {
                if (element.ValueKind == JsonValueKind.String)
                {
                    texts.Add(element.GetString()!);
                }
                else
                {
                    Collect(element, texts, ref cachedTexts);
                }
            }
        }

        return texts;
    }

    /// <summary>
    /// The last message, if it is the user's. Messages with role <c>system</c> after it (Claude Code appends its
    /// instructions that way) are instructions, not turns, and are passed over.
    /// </summary>
    public static JsonElement? LastUserMessage(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        for (var i = messages.GetArrayLength() - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role))
            {
                return null;
            }

            if (!role.ValueEquals("system"))
            {
                return role.ValueEquals("user") ? message : null;
            }
        }

        return null;
    }

    /// <summary>The text blocks of a message joined by a space (or its content when that is a plain string).</summary>
    public static string MessageText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var builder = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text", out var text)
                    && text.ValueKind == JsonValueKind.String)
                {
                    builder.Append(builder.Length > 0 ? " " : string.Empty).Append(text.GetString());
                }
            }
        }

        return builder.ToString();
    }

    private static void Collect(JsonElement element, List<string> texts, ref int cachedTexts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, texts, ref cachedTexts);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("input") || property.NameEquals("json"))
                    {
                        continue;
                    }

                    if ((property.NameEquals("text") || property.NameEquals("content"))
                        && property.Value.ValueKind == JsonValueKind.String)
                    {
                        texts.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, texts, ref cachedTexts);
                    }
                }

                // The breakpoint comes after the marked block's own text (cache_control) or where the
                // cachePoint block stands: everything counted so far is the cached prefix.
                if (element.TryGetProperty("cache_control", out _) || element.TryGetProperty("cachePoint", out _))
                {
                    cachedTexts = texts.Count;
                }

                break;
            default:
                break;
        }
    }
}
