using System.Buffers.Binary;
using System.Text;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Decodes one whole <c>application/vnd.amazon.eventstream</c> frame in place: checks the prelude
/// and message CRCs, reads the three string headers the proxy needs and points at the payload
/// without copying it. AWSSDK.Core's decoder allocated a header dictionary, header objects, a
/// string per header and a copy of every payload for each of the thousands of frames of a long
/// answer, and checked the CRCs a byte at a time; the relay only needs these few fields.
/// </summary>
internal static class EventStreamFrameDecoder
{
    private const int PreludeLength = 12;
    private const int MessageCrcLength = 4;
    private const byte StringType = 7;

    /// <summary>Event types Bedrock sends on every stream, returned without allocating a string per frame.</summary>
    private static readonly string[] KnownValues =
    [
        "contentBlockDelta", "contentBlockStart", "contentBlockStop", "messageStart", "messageStop", "metadata", "chunk",
        "event", "exception", "error", "application/json",
    ];

    private static readonly byte[][] KnownValueBytes = [.. KnownValues.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Which known values have each length (index: the length in bytes): a header value is compared with the
    /// one or two of its length, not with all eleven (three headers a frame, ten thousand frames a 10 MB answer).
    /// </summary>
    private static readonly int[][] KnownValuesByLength = [.. Enumerable.Range(0, KnownValueBytes.Max(v => v.Length) + 1)
        .Select(length => Enumerable.Range(0, KnownValueBytes.Length).Where(i => KnownValueBytes[i].Length == length).ToArray())];

    /// <summary>
    /// Decodes <paramref name="frame"/> (exactly one frame, its length already checked against the
    /// prelude's). The event's <see cref="BedrockStreamEvent.RawFrame"/> and payload are views of
    /// <paramref name="frame"/>.
    /// </summary>
    public static BedrockStreamEvent Decode(ReadOnlyMemory<byte> frame)
    {
        ReadOnlySpan<byte> span = frame.Span;
        int total = span.Length;
        uint headersLength = BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        if (Crc32.Compute(span[..8]) != BinaryPrimitives.ReadUInt32BigEndian(span[8..]))
        {
            throw Corrupt("the prelude CRC does not match");
        }
        if (headersLength > (uint)(total - PreludeLength - MessageCrcLength))
        {
            throw Corrupt($"headers of {headersLength} bytes do not fit a frame of {total}");
        }
        if (Crc32.Compute(span[..^MessageCrcLength]) != BinaryPrimitives.ReadUInt32BigEndian(span[^MessageCrcLength..]))
        {
            throw Corrupt("the message CRC does not match");
        }

        string? messageType = null;
        string? eventType = null;
        string? exceptionType = null;
        string? errorCode = null;
        string? contentType = null;
        ReadOnlySpan<byte> headers = span.Slice(PreludeLength, (int)headersLength);
        while (!headers.IsEmpty)
        {
            int nameLength = headers[0];
            if (headers.Length < 1 + nameLength + 1)
            {
                throw Corrupt("a header runs past the headers section");
            }
            ReadOnlySpan<byte> name = headers.Slice(1, nameLength);
            byte type = headers[1 + nameLength];
            headers = headers[(2 + nameLength)..];
            int valueLength = ValueLength(type, headers);
            if (valueLength < 0 || headers.Length < valueLength)
            {
                throw Corrupt($"a header of type {type} runs past the headers section");
            }
            if (type == StringType)
            {
                ReadOnlySpan<byte> value = headers.Slice(2, valueLength - 2);
                if (name.SequenceEqual(":message-type"u8))
                {
                    messageType = Text(value);
                }
                else if (name.SequenceEqual(":event-type"u8))
                {
                    eventType = Text(value);
                }
                else if (name.SequenceEqual(":exception-type"u8))
                {
                    exceptionType = Text(value);
                }
                else if (name.SequenceEqual(":error-code"u8))
                {
                    errorCode = Text(value);
                }
                else if (name.SequenceEqual(":content-type"u8))
                {
                    contentType = Text(value);
                }
            }
            headers = headers[valueLength..];
        }

        BedrockStreamMessageType kind = messageType switch
        {
            "event" => BedrockStreamMessageType.Event,
            "exception" => BedrockStreamMessageType.Exception,
            "error" => BedrockStreamMessageType.Error,
            _ => throw new BedrockStreamException($"Bedrock sent a frame with unknown :message-type '{messageType}'."),
        };
        int payloadStart = PreludeLength + (int)headersLength;
        return new BedrockStreamEvent(
            frame,
            kind,
            kind == BedrockStreamMessageType.Event ? eventType : null,
            kind switch
            {
                BedrockStreamMessageType.Exception => exceptionType,
                BedrockStreamMessageType.Error => errorCode,
                _ => null,
            },
            contentType,
            frame[payloadStart..^MessageCrcLength]);
    }

    /// <summary>Bytes the value of a header of <paramref name="type"/> takes (length prefix included), or -1 for an unknown type.</summary>
    private static int ValueLength(byte type, ReadOnlySpan<byte> value) => type switch
    {
        0 or 1 => 0,           // boolean true / false: the type is the value
        2 => 1,                // byte
        3 => 2,                // short
        4 => 4,                // integer
        5 or 8 => 8,           // long, timestamp
        6 or StringType => value.Length < 2 ? int.MaxValue : 2 + BinaryPrimitives.ReadUInt16BigEndian(value), // bytes, string
        9 => 16,               // uuid
        _ => -1,
    };

    private static string Text(ReadOnlySpan<byte> value)
    {
        if (value.Length < KnownValuesByLength.Length)
        {
            foreach (int i in KnownValuesByLength[value.Length])
            {
                if (value.SequenceEqual(KnownValueBytes[i]))
                {
                    return KnownValues[i];
                }
            }
        }
        return Encoding.UTF8.GetString(value);
    }

    private static BedrockStreamException Corrupt(string why) =>
        new($"Bedrock sent a corrupt event-stream frame: {why}.");
}
