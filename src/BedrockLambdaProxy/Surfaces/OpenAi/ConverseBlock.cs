using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>One Converse content block built from an OpenAI message part, written once the turns are merged.</summary>
internal sealed class ConverseBlock
{
    private readonly Action<Utf8JsonWriter> _write;

    private ConverseBlock(bool leadsTurn, Action<Utf8JsonWriter> write)
    {
        LeadsTurn = leadsTurn;
        _write = write;
    }

    /// <summary>
    /// Written before the turn's other blocks: Converse (and Anthropic behind it) wants a user turn's tool results
    /// first, and an assistant turn that used a tool with thinking on to start with its thinking.
    /// </summary>
    public bool LeadsTurn { get; }

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

    /// <summary>A thinking block sent back from <c>thinking_blocks</c>: its text and signature exactly as the model gave them.</summary>
    public static ConverseBlock Reasoning(string text, string? signature) => new(true, json =>
    {
        json.WriteStartObject("reasoningContent");
        json.WriteStartObject("reasoningText");
        json.WriteString("text", text);
        if (signature is not null)
        {
            json.WriteString("signature", signature);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>A redacted thinking block sent back: Converse's <c>redactedContent</c> carries the same base64 text.</summary>
    public static ConverseBlock RedactedReasoning(string base64) => new(true, json =>
    {
        json.WriteStartObject("reasoningContent");
        json.WriteString("redactedContent", base64);
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
