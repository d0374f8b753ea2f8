using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One Converse content block built from an OpenAI message part, written once the turns are merged.</summary>
internal sealed class ConverseBlock
{
    private readonly Action<Utf8JsonWriter> _write;

    private ConverseBlock(bool isToolResult, Action<Utf8JsonWriter> write)
    {
        IsToolResult = isToolResult;
        _write = write;
    }

    /// <summary>Converse (and Anthropic behind it) wants a user turn's tool results before its other blocks.</summary>
    public bool IsToolResult { get; }

    public static ConverseBlock Text(string text) => new(false, json => json.WriteString("text", text));

    /// <summary>An image from a data URL: Converse takes the same base64 text as <c>source.bytes</c>.</summary>
    public static ConverseBlock Image(string format, string base64) => new(false, json =>
    {
        json.WriteStartObject("image");
        json.WriteString("format", format);
        json.WriteStartObject("source");
        json.WriteString("bytes", base64);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>An assistant's earlier tool call; <paramref name="input"/> is its parsed arguments object.</summary>
    public static ConverseBlock ToolUse(string id, string name, JsonElement input) => new(false, json =>
    {
        json.WriteStartObject("toolUse");
        json.WriteString("toolUseId", id);
        json.WriteString("name", name);
        json.WritePropertyName("input");
        input.WriteTo(json);
        json.WriteEndObject();
    });

    /// <summary>A tool message's result: a JSON object as a <c>json</c> block, anything else as text.</summary>
    public static ConverseBlock ToolResult(string id, string? text, JsonElement? jsonObject) => new(true, json =>
    {
        json.WriteStartObject("toolResult");
        json.WriteString("toolUseId", id);
        json.WriteStartArray("content");
        json.WriteStartObject();
        if (jsonObject is JsonElement value)
        {
            json.WritePropertyName("json");
            value.WriteTo(json);
        }
        else
        {
            json.WriteString("text", text);
        }
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        _write(json);
        json.WriteEndObject();
    }
}
