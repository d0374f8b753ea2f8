using System.Buffers;
using System.Text.Json;

namespace BedrockSimulator.Wire;

/// <summary>Small fixed-shape JSON documents written with Utf8JsonWriter (no reflection, AOT-safe).</summary>
internal static class JsonBytes
{
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Message(string message) => Write(w => w.WriteString("message", message));
}
