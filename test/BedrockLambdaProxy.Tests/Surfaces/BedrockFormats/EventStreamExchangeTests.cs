using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Surfaces.BedrockFormats;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces.BedrockFormats;

/// <summary>
/// Bedrock-native streams end the way Bedrock ends them: a stream whose last frame is an exception
/// completes the body normally, so a client that has not read the frame yet still gets it (error
/// trailers would make the front reset the connection and the AWS SDK would lose its typed error).
/// </summary>
public sealed class EventStreamExchangeTests
{
    private static readonly BedrockCall ConverseStream =
        new(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, 0);

    [Fact]
    public async Task RunAsync_BedrockExceptionFrameMidStream_RelaysFrameAndCompletesWithoutTrailers()
    {
        byte[] start = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
        byte[] delta = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        byte[] exception = EventStreamFrameBuilder.Exception("modelStreamErrorException", """{"message":"model broke"}""");
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(
            new MemoryStream([.. start, .. delta, .. exception])));
        var responder = new RecordingResponder();

        CallOutcome outcome = await new EventStreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream);

        Assert.Equal([.. start, .. delta, .. exception], responder.StreamedBody);
        Assert.True(responder.Completed);
        Assert.Null(responder.Failure);
        Assert.Equal("ModelStreamErrorException", outcome.ErrorType);
        Assert.Equal(200, outcome.HttpStatus);
    }

    [Fact]
    public async Task RunAsync_TruncatedUpstream_EndsWithProxyExceptionFrameAndCompletes()
    {
        byte[] delta = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(
            new MemoryStream([.. delta, .. delta[..10]])));
        var responder = new RecordingResponder();

        CallOutcome outcome = await new EventStreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream);

        byte[] frame = ExceptionFrame.Encode("modelStreamErrorException", "The stream from Amazon Bedrock broke before it ended.");
        Assert.Equal([.. delta, .. frame], responder.StreamedBody);
        Assert.True(responder.Completed);
        Assert.Null(responder.Failure);
        Assert.Equal("ModelStreamErrorException", outcome.ErrorType);
    }
}
