namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Finds the text of a text delta without a JSON walk, for the shapes Bedrock writes thousands of
/// times per answer: ConverseStream's <c>{"contentBlockIndex":n,"delta":{"text":"…"}…</c> and
/// Claude's InvokeModel chunk <c>{"type":"content_block_delta","index":n,"delta":{"type":"text_delta","text":"…"}}</c>.
/// Only an exact match of those openings counts, and only a text with no JSON escape in it (its
/// bytes are then the text itself); anything else answers false and the caller reads the JSON as it
/// always did. A walk with <see cref="System.Text.Json.Utf8JsonReader"/> scans the string for any of
/// 34 bytes (quote, backslash, control characters) and the rest of the event token by token; this
/// looks for two bytes.
/// </summary>
internal static class DeltaText
{
    private static ReadOnlySpan<byte> ConverseOpening => "{\"contentBlockIndex\":"u8;
    private static ReadOnlySpan<byte> ConverseText => ",\"delta\":{\"text\":\""u8;
    private static ReadOnlySpan<byte> ClaudeOpening => "{\"type\":\"content_block_delta\",\"index\":"u8;
    private static ReadOnlySpan<byte> ClaudeText => ",\"delta\":{\"type\":\"text_delta\",\"text\":\""u8;

    /// <summary>The delta's text as a range of <paramref name="json"/>; false when the event is not one of those shapes or its text is escaped.</summary>
    public static bool TryFind(ReadOnlySpan<byte> json, out Range text)
    {
        text = default;
        int start = json.StartsWith(ConverseOpening) ? After(json, ConverseOpening.Length, ConverseText)
            : json.StartsWith(ClaudeOpening) ? After(json, ClaudeOpening.Length, ClaudeText)
            : -1;
        if (start < 0)
        {
            return false;
        }
        int length = json[start..].IndexOfAny((byte)'"', (byte)'\\');
        // The closing quote must end the delta object, so that "text" is all the delta holds.
        if (length < 0 || json[start + length] != (byte)'"' || start + length + 1 >= json.Length || json[start + length + 1] != (byte)'}')
        {
            return false;
        }
        text = start..(start + length);
        return true;
    }

    /// <summary>Where the text starts: after the block index's digits at <paramref name="at"/> and <paramref name="rest"/>; -1 if they are not there.</summary>
    private static int After(ReadOnlySpan<byte> json, int at, ReadOnlySpan<byte> rest)
    {
        int digits = json[at..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits <= 0 || !json[(at + digits)..].StartsWith(rest))
        {
            return -1;
        }
        return at + digits + rest.Length;
    }
}
