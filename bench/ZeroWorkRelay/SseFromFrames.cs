using System.Buffers.Binary;
using System.Text;

namespace ZeroWorkRelay;

/// <summary>Event-stream frames to <c>event: type / data: payload</c> SSE events, for the proxy's /converse shape.</summary>
internal sealed class SseFromFrames
{
    private readonly List<byte> _partial = [];

    public byte[] Convert(ReadOnlySpan<byte> arrived)
    {
        _partial.AddRange(arrived);
        var output = new MemoryStream();
        var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_partial);
        int at = 0;
        while (bytes.Length - at >= 12)
        {
            int total = BinaryPrimitives.ReadInt32BigEndian(bytes[at..]);
            if (bytes.Length - at < total)
            {
                break;
            }
            int headersLength = BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 4)..]);
            output.Write("event: "u8);
            output.Write(EventType(bytes.Slice(at + 12, headersLength)));
            output.Write("\ndata: "u8);
            output.Write(bytes.Slice(at + 12 + headersLength, total - 16 - headersLength));
            output.Write("\n\n"u8);
            at += total;
        }
        _partial.RemoveRange(0, at);
        return output.ToArray();
    }

    /// <summary>The :event-type header's value (every header the simulator sends is a string, type 7).</summary>
    private static byte[] EventType(ReadOnlySpan<byte> headers)
    {
        int at = 0;
        while (at < headers.Length)
        {
            ReadOnlySpan<byte> name = headers.Slice(at + 1, headers[at]);
            at += 1 + name.Length + 1;
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(headers[at..]);
            ReadOnlySpan<byte> value = headers.Slice(at + 2, valueLength);
            at += 2 + valueLength;
            if (name.SequenceEqual(":event-type"u8))
            {
                return value.ToArray();
            }
        }
        return Encoding.ASCII.GetBytes("unknown");
    }
}
