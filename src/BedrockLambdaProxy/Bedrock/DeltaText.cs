using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// event token by token; this scans once and compares two openings. The scan is the relay's hottest
/// loop after the token estimate: every streamed text byte passes it once, for the bill, and the relay hands
/// the found range to the sink (<see cref="Streaming.IStreamEventSink.WriteTextDeltaAsync"/>).
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
        int length = IndexOfStringEnd(json[start..]);
        // The first byte that may end a verbatim string must be its closing quote (not an escape or a
        // control character), and that quote must end the delta object, so that "text" is all it holds.
        if (length < 0 || json[start + length] != (byte)'"' || start + length + 1 >= json.Length || json[start + length + 1] != (byte)'}')
        {
            return false;
        }
        text = start..(start + length);
        return true;
    }

    /// <summary>
    /// Where the first quote, backslash or control character (below 0x20) is; -1 if none. One pass with
    /// three comparisons per vector (32 bytes with AVX2, which the x86-64 build targets; 16 on arm64):
    /// the library's two-value search plus its range search were two passes, and its search for a set
    /// of 34 bytes a slower general one.
    /// </summary>
    internal static int IndexOfStringEnd(ReadOnlySpan<byte> bytes) => IndexOfStringEnd(bytes, wide: Vector256.IsHardwareAccelerated);

    /// <summary>As <see cref="IndexOfStringEnd(ReadOnlySpan{byte})"/>, with 32-byte vectors (<paramref name="wide"/>) or 16-byte ones only: tests run both.</summary>
    internal static int IndexOfStringEnd(ReadOnlySpan<byte> bytes, bool wide)
    {
        ref byte start = ref MemoryMarshal.GetReference(bytes);
        if (wide && bytes.Length >= Vector256<byte>.Count)
        {
            int lastBlock = bytes.Length - Vector256<byte>.Count;
            for (int at = 0; ; at = Math.Min(at + Vector256<byte>.Count, lastBlock))
            {
                // The last block may overlap the one before: bytes seen twice were not hits.
                uint hits = StringEndMask(Vector256.LoadUnsafe(ref start, (nuint)at));
                if (hits != 0)
                {
                    return at + BitOperations.TrailingZeroCount(hits);
                }
                if (at == lastBlock)
                {
                    return -1;
                }
            }
        }
        if (Vector128.IsHardwareAccelerated && bytes.Length >= Vector128<byte>.Count)
        {
            int lastBlock = bytes.Length - Vector128<byte>.Count;
            for (int at = 0; ; at = Math.Min(at + Vector128<byte>.Count, lastBlock))
            {
                uint hits = StringEndMask(Vector128.LoadUnsafe(ref start, (nuint)at));
                if (hits != 0)
                {
                    return at + BitOperations.TrailingZeroCount(hits);
                }
                if (at == lastBlock)
                {
                    return -1;
                }
            }
        }
        for (int at = 0; at < bytes.Length; at++)
        {
            byte b = bytes[at];
            if (b == (byte)'"' || b == (byte)'\\' || b < 0x20)
            {
                return at;
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StringEndMask(Vector128<byte> block) =>
        (Vector128.Equals(block, Vector128.Create((byte)'"'))
        | Vector128.Equals(block, Vector128.Create((byte)'\\'))
        | Vector128.LessThan(block, Vector128.Create((byte)0x20))).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StringEndMask(Vector256<byte> block) =>
        (Vector256.Equals(block, Vector256.Create((byte)'"'))
        | Vector256.Equals(block, Vector256.Create((byte)'\\'))
        | Vector256.LessThan(block, Vector256.Create((byte)0x20))).ExtractMostSignificantBits();

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
