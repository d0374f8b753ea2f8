using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Events;

public sealed class HttpResponseChannelTests
{
    [Fact]
    public async Task SendAsync_Buffered_WritesLambdaProxyEnvelope()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered);

        await channel.SendAsync(new ProxyResponse(201, [new("content-type", "application/json")], "{\"ok\":true}"u8.ToArray()), default);

        Assert.Equal(
            """{"statusCode":201,"headers":{"content-type":"application/json"},"body":"{\u0022ok\u0022:true}","isBase64Encoded":false}""",
            Encoding.UTF8.GetString(responder.Buffered!));
    }

    [Fact]
    public async Task SendAsync_BufferedBinary_Base64EncodesBody()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered);
        byte[] frames = [0, 0, 0, 16, 0xFF, 0x80];

        await channel.SendAsync(new ProxyResponse(200, [new("content-type", "application/vnd.amazon.eventstream")], frames), default);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.True(envelope.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(frames, envelope.RootElement.GetProperty("body").GetBytesFromBase64());
    }

    [Fact]
    public async Task SendAsync_Streamed_WritesPreludeBodyAndCompletes()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Streamed);

        await channel.SendAsync(
            new ProxyResponse(404, [new("content-type", "application/json"), new("Set-Cookie", "a=b")], "{}"u8.ToArray()), default);

        Assert.Equal(404, responder.Prelude!.StatusCode);
        Assert.Equal([new("content-type", "application/json")], responder.Prelude.Headers);
        Assert.Equal(["a=b"], responder.Prelude.Cookies);
        Assert.Equal("{}", Encoding.UTF8.GetString(responder.StreamedBody));
        Assert.True(responder.Completed);
    }

    [Fact]
    public async Task StartStreamAsync_OnBufferedFront_Throws()
    {
        var channel = new HttpResponseChannel(new RecordingResponder(), DeliveryMode.Buffered);

        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.StartStreamAsync(200, [], default));
    }

    [Fact]
    public async Task SendAsync_WithRequestId_NamesItOnBufferedAndStreamedAnswers()
    {
        var buffered = new RecordingResponder();
        var streamed = new RecordingResponder();

        await new HttpResponseChannel(buffered, DeliveryMode.Buffered, "req-7").SendAsync(new ProxyResponse(200, [], "{}"u8.ToArray()), default);
        await new HttpResponseChannel(streamed, DeliveryMode.Streamed, "req-7").SendAsync(new ProxyResponse(200, [], "{}"u8.ToArray()), default);

        using JsonDocument envelope = JsonDocument.Parse(buffered.Buffered);
        Assert.Equal("req-7", envelope.RootElement.GetProperty("headers").GetProperty("x-request-id").GetString());
        Assert.Contains(new KeyValuePair<string, string>("x-request-id", "req-7"), streamed.Prelude!.Headers);
    }
}
