using System.Buffers.Binary;
using System.Text;

namespace BedrockSimulator.Wire;

/// <summary>
/// Encodes <c>application/vnd.amazon.eventstream</c> messages: a 12-byte prelude (total length, headers length,
/// prelude CRC), string headers, the payload, and a CRC of everything before it. All integers are big-endian.
/// </summary>
internal static class EventStreamEncoder
{
    private const byte StringHeaderType = 7;
    private const int PreludeLength = 12;
    private const int TrailerLength = 4;

    /// <summary>An <c>event</c> message, as Bedrock sends for each stream event (headers in Bedrock's order).</summary>
    public static byte[] Event(string eventType, ReadOnlySpan<byte> jsonPayload) => Encode(
        [(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], jsonPayload);

    /// <summary>
    /// An <c>exception</c> message. The SDKs map <c>:exception-type</c> to a member of the stream union, so it is
    /// camel case (<c>modelStreamErrorException</c>, <c>throttlingException</c>, …).
    /// </summary>
    public static byte[] Exception(string exceptionType, ReadOnlySpan<byte> jsonPayload) => Encode(
        [(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")], jsonPayload);

    public static byte[] Encode(IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> payload)
    {
        var headersLength = 0;
        foreach (var (name, value) in headers)
        {
            headersLength += 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);
        }

        var total = PreludeLength + headersLength + payload.Length + TrailerLength;
        var frame = new byte[total];
        var span = frame.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, total);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.Compute(span[..8]));

        var at = PreludeLength;
        foreach (var (name, value) in headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(at + 1)..]);
            if (nameLength > byte.MaxValue)
            {
                throw new ArgumentException("Event-stream header names are at most 255 bytes.", nameof(headers));
            }

            span[at] = (byte)nameLength;
            at += 1 + nameLength;
            span[at++] = StringHeaderType;
            var valueLength = Encoding.UTF8.GetBytes(value, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], checked((ushort)valueLength));
            at += 2 + valueLength;
        }

        payload.CopyTo(span[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32.Compute(span[..at]));
        return frame;
    }
}
