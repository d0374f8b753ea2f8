using System.Buffers.Binary;
using System.Text;

namespace BedrockLambdaProxy.Tests.Bedrock;

/// <summary>
/// Builds application/vnd.amazon.eventstream frames for tests, independently of AWSSDK.Core: prelude
/// (total length, headers length, prelude CRC), string headers, payload, message CRC (CRC-32/IEEE).
/// </summary>
internal static class EventStreamFrameBuilder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Event(string eventType, string payloadJson) =>
        Frame(
            [(":message-type", "event"), (":event-type", eventType), (":content-type", "application/json")],
            Encoding.UTF8.GetBytes(payloadJson));

    public static byte[] Exception(string exceptionType, string payloadJson) =>
        Frame(
            [(":message-type", "exception"), (":exception-type", exceptionType), (":content-type", "application/json")],
            Encoding.UTF8.GetBytes(payloadJson));

    public static byte[] Frame(IReadOnlyList<(string Name, string Value)> headers, byte[] payload)
    {
        var headerBytes = new MemoryStream();
        foreach ((string name, string value) in headers)
        {
            byte[] n = Encoding.UTF8.GetBytes(name);
            byte[] v = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)n.Length);
            headerBytes.Write(n);
            headerBytes.WriteByte(7); // string
            headerBytes.WriteByte((byte)(v.Length >> 8));
            headerBytes.WriteByte((byte)v.Length);
            headerBytes.Write(v);
        }
        return WithHeaderBytes(headerBytes.ToArray(), payload);
    }

    /// <summary>One encoded header: name length, name, type byte, then <paramref name="value"/> as the type encodes it.</summary>
    public static byte[] RawHeader(string name, byte type, byte[] value) =>
        [(byte)Encoding.UTF8.GetByteCount(name), .. Encoding.UTF8.GetBytes(name), type, .. value];

    /// <summary>A frame around an already encoded headers section.</summary>
    public static byte[] WithHeaderBytes(byte[] headers, byte[] payload)
    {
        int headersLength = headers.Length;
        int total = 12 + headersLength + payload.Length + 4;
        byte[] frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(0), (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32(frame.AsSpan(0, 8)));
        headers.CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32(frame.AsSpan(0, total - 4)));
        return frame;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
