using System.Buffers.Binary;
using System.Text;
using Amazon.Runtime.EventStreams;
using BedrockSimulator.Wire;

namespace BedrockLambdaProxy.Tests.Simulator;

public sealed class EventStreamEncoderTests
{
    [Fact]
    public void Event_MessageStart_HasExactPreludeHeadersPayloadAndCrcs()
    {
        var payload = """{"role":"assistant"}"""u8.ToArray();
        var frame = EventStreamEncoder.Event("messageStart", payload);

        // Headers: (1 + name + 1 + 2 + value) each: 11+12, 13+16, 13+5 -> 24+30+19 = 73 bytes.
        const int HeadersLength = (1 + 11 + 1 + 2 + 12) + (1 + 13 + 1 + 2 + 16) + (1 + 13 + 1 + 2 + 5);
        Assert.Equal(12 + HeadersLength + payload.Length + 4, frame.Length);
        Assert.Equal(frame.Length, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(HeadersLength, BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4)));
        Assert.Equal(Crc32.Compute(frame.AsSpan(0, 8)), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(8)));

        var expectedHeaders = new List<byte>();
        foreach (var (name, value) in new[] { (":event-type", "messageStart"), (":content-type", "application/json"), (":message-type", "event") })
        {
            expectedHeaders.Add((byte)name.Length);
            expectedHeaders.AddRange(Encoding.ASCII.GetBytes(name));
            expectedHeaders.Add(7);
            expectedHeaders.Add(0);
            expectedHeaders.Add((byte)value.Length);
            expectedHeaders.AddRange(Encoding.ASCII.GetBytes(value));
        }

        Assert.Equal(expectedHeaders.ToArray(), frame.AsSpan(12, HeadersLength).ToArray());
        Assert.Equal(payload, frame.AsSpan(12 + HeadersLength, payload.Length).ToArray());
        Assert.Equal(Crc32.Compute(frame.AsSpan(0, frame.Length - 4)), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(frame.Length - 4)));
    }

    [Fact]
    public void Event_DecodedByAwsSdk_YieldsSameHeadersAndPayload()
    {
        var payload = """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""u8.ToArray();
        var frame = EventStreamEncoder.Event("contentBlockDelta", payload);

        // AWSSDK.Core's decoder checks both CRCs with its own implementation.
        var message = EventStreamMessage.FromBuffer(frame, 0, frame.Length);

        Assert.Equal("contentBlockDelta", message.Headers[":event-type"].AsString());
        Assert.Equal("event", message.Headers[":message-type"].AsString());
        Assert.Equal("application/json", message.Headers[":content-type"].AsString());
        Assert.Equal(payload, message.Payload);
    }

    [Fact]
    public void Exception_DecodedByAwsSdk_CarriesExceptionTypeHeader()
    {
        var frame = EventStreamEncoder.Exception("modelStreamErrorException", JsonBytes.Message("boom"));

        var message = EventStreamMessage.FromBuffer(frame, 0, frame.Length);

        Assert.Equal("exception", message.Headers[":message-type"].AsString());
        Assert.Equal("modelStreamErrorException", message.Headers[":exception-type"].AsString());
        Assert.Equal("""{"message":"boom"}""", Encoding.UTF8.GetString(message.Payload));
    }

    [Fact]
    public void Event_CorruptedPayloadByte_RejectedByAwsSdk()
    {
        var frame = EventStreamEncoder.Event("messageStop", """{"stopReason":"end_turn"}"""u8);
        frame[^6] ^= 0x01;

        Assert.ThrowsAny<Exception>(() => EventStreamMessage.FromBuffer(frame, 0, frame.Length));
    }
}
