namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Finds the text of a text delta without a JSON walk, for the shapes Bedrock writes thousands of
/// times per answer: ConverseStream's <c>{"contentBlockIndex":n,"delta":{"text":"…"}…</c> and
/// Claude's InvokeModel chunk <c>{"type":"content_block_delta","index":n,"delta":{"type":"text_delta","text":"…"}}</c>.
/// Only an exact match of those openings counts, and only a text with no JSON escape and no control
/// character in it: its bytes are then the text itself, and also a JSON string's content as they are,
/// so a writer may copy them between quotes unchanged. Anything else answers false and the caller reads
/// the JSON as it always did. A walk with <see cref="System.Text.Json.Utf8JsonReader"/> scans the
/// string for the same 34 bytes (quote, backslash, control characters) and then reads the rest of the
/// event token by token; this scans once and compares two openings.
/// </summary>
internal static class DeltaText
{

    private static ReadOnlySpan<byte> ConverseOpening => "{\"contentBlockIndex\":"u8;
    private static ReadOnlySpan<byte> ConverseText => ",\"delta\":{\"text\":\""u8;
    private static ReadOnlySpan<byte> ClaudeOpening => "{\"type\":\"content_block_delta\",\"index\":"u8;
    private static ReadOnlySpan<byte> ClaudeText => ",\"delta\":{\"type\":\"text_delta\",\"text\":\""u8;

    /// <summary>The delta's text as a range of <paramref name="json"/>; false when the event is not one of those shapes or its text is escaped or holds a control character.</summary>
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
        // Two simple scans (quote or backslash, then control characters in the text) cost a fraction of
        // one scan for all 34 bytes, which takes the general set-of-bytes search.
        int length = json[start..].IndexOfAny((byte)'"', (byte)'\\');
        // The closing quote must end the delta object, so that "text" is all the delta holds.
        if (length < 0 || json[start + length] != (byte)'"' || start + length + 1 >= json.Length || json[start + length + 1] != (byte)'}'
            || json.Slice(start, length).IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }
        text = start..(start + length);
        return true;
    }

    /// <summary>
    /// True when nothing follows the found <paramref name="text"/> but the ends of the delta and of the
    /// event (<c>"}}</c>): the event is that text delta and nothing else (no invocation metrics, for one).
    /// </summary>
    public static bool IsWholeEvent(ReadOnlySpan<byte> json, Range text) => json[text.End..].SequenceEqual("\"}}"u8);

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
