using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
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
            """{"statusCode":201,"headers":{"content-type":"application/json"},"body":"{\"ok\":true}","isBase64Encoded":false}""",
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

    [Fact]
    public async Task SendAsync_BufferedNonAsciiText_EscapesOnlyWhatJsonRequires()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered);

        await channel.SendAsync(new ProxyResponse(200, [new("content-type", "application/json")], Encoding.UTF8.GetBytes("{\"t\":\"日本<&>\"}")), default);

        Assert.Equal(
            """{"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"t\":\"日本<&>\"}","isBase64Encoded":false}""",
            Encoding.UTF8.GetString(responder.Buffered!));
    }

    [Fact]
    public async Task SendAsync_BufferedEnvelopeOverLimitAfterEscaping_SendsResponseTooLarge()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered, "req-1", ErrorStyle.OpenAi);
        // 3.2 MB of quotes: under the limit as bytes, twice that once escaped (\").
        byte[] body = Encoding.UTF8.GetBytes(new string('"', 3_200_000));

        await channel.SendAsync(new ProxyResponse(200, [new("content-type", "text/plain")], body), default);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.Equal(502, envelope.RootElement.GetProperty("statusCode").GetInt32());
        using JsonDocument error = JsonDocument.Parse(envelope.RootElement.GetProperty("body").GetString()!);
        Assert.Equal("ResponseTooLarge", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.True(channel.SendAttempted);
        Assert.NotNull(channel.TooLarge);
    }

    [Fact]
    public async Task SendAsync_BufferedEnvelopeJustUnderLimit_IsSent()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered);
        byte[] body = Encoding.UTF8.GetBytes(new string('a', HttpResponseChannel.BufferedLimitBytes - 200));

        await channel.SendAsync(new ProxyResponse(200, [new("content-type", "text/plain")], body), default);

        Assert.Null(channel.TooLarge);
        Assert.True(responder.Buffered!.Length <= HttpResponseChannel.BufferedLimitBytes);
    }
}
