using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class EventStreamFrameDecoderTests
{
    [Theory]
    [InlineData("contentBlockDelta")]
    [InlineData("contentBlockStart")]
    [InlineData("contentBlockStop")]
    [InlineData("messageStart")]
    [InlineData("messageStop")]
    [InlineData("metadata")]
    [InlineData("chunk")]
    public void Decode_KnownEventType_TheSharedStringNotANewOne(string eventType)
    {
        BedrockStreamEvent decoded = EventStreamFrameDecoder.Decode(EventStreamFrameBuilder.Event(eventType, "{}"));

        // String literals are interned: the decoder hands out its own constant, so no string is made per frame.
        Assert.Same(string.IsInterned(eventType), decoded.EventType);
        Assert.Same("application/json", decoded.ContentType);
        Assert.Equal(BedrockStreamMessageType.Event, decoded.MessageType);
    }

    [Theory]
    [InlineData("contentBlockDeltb")] // the length of two known values, equal to neither
    [InlineData("metadatA")]
    [InlineData("citationsContentDelta")] // longer than any known value
    [InlineData("x")]
    [InlineData("")]
    public void Decode_OtherEventType_ReadAsItIs(string eventType)
    {
        BedrockStreamEvent decoded = EventStreamFrameDecoder.Decode(EventStreamFrameBuilder.Event(eventType, "{}"));

        Assert.Equal(eventType, decoded.EventType);
    }

    [Fact]
    public void Decode_Exception_TypeAndKindFromTheirHeaders()
    {
        BedrockStreamEvent decoded = EventStreamFrameDecoder.Decode(EventStreamFrameBuilder.Exception("throttlingException", """{"message":"slow down"}"""));

        Assert.Equal(BedrockStreamMessageType.Exception, decoded.MessageType);
        Assert.Equal("throttlingException", decoded.ExceptionType);
        Assert.Null(decoded.EventType);
    }
}
