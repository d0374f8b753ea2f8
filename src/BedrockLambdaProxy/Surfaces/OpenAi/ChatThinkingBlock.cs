using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// One entry of <c>thinking_blocks</c>: a signed thinking block (<paramref name="Signature"/> set, the text in
/// <paramref name="Text"/>) or a redacted one (<paramref name="Text"/> holds its base64 data).
/// </summary>
internal sealed record ChatThinkingBlock(string Text, string? Signature)
{
    public static ChatThinkingBlock Redacted(string data) => new(data, null);

    public bool IsRedacted => Signature is null;

    /// <summary><c>{"type":"thinking","thinking","signature"}</c> or <c>{"type":"redacted_thinking","data"}</c>.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (IsRedacted)
        {
            json.WriteString("type", "redacted_thinking");
            json.WriteString("data", Text);
        }
        else
        {
            json.WriteString("type", "thinking");
            json.WriteString("thinking", Text);
            json.WriteString("signature", Signature);
        }
        json.WriteEndObject();
    }
}
