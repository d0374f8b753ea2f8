using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Streaming;

public sealed class ChunkArraySinkTests
{
    [Fact]
    public async Task CompleteAsync_CollectsEventsInOrderIntoOneArray()
    {
        var responder = new RecordingResponder();
        using var sink = new ChunkArraySink(new HttpResponseChannel(responder, DeliveryMode.Buffered), [new("content-type", "application/json")]);

        await sink.WriteEventAsync("messageStart", "{\"role\":\"assistant\"}"u8.ToArray(), default);
        await sink.WriteEventAsync(null, "{\"type\":\"content_block_delta\"}"u8.ToArray(), default);
        await sink.CompleteAsync(default);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.Equal(200, envelope.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(
            """[{"messageStart":{"role":"assistant"}},{"type":"content_block_delta"}]""",
            envelope.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task FailAsync_KeepsEventsAppendsErrorAndUsesErrorStatus()
    {
        var responder = new RecordingResponder();
        using var sink = new ChunkArraySink(new HttpResponseChannel(responder, DeliveryMode.Buffered), [new("content-type", "application/json")]);
        await sink.WriteEventAsync("messageStart", "{}"u8.ToArray(), default);

        await sink.FailAsync(new ApiError(502, "InternalServerException", "broke"), default);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.Equal(502, envelope.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(
            """[{"messageStart":{}},{"error":{"type":"InternalServerException","message":"broke"}}]""",
            envelope.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task CompleteAsync_ArrayPastBufferedLimit_SendsResponseTooLargeInsteadOfEvents()
    {
        var responder = new RecordingResponder();
        var channel = new HttpResponseChannel(responder, DeliveryMode.Buffered, "req-1", ErrorStyle.Aws);
        using var sink = new ChunkArraySink(channel, [new("content-type", "application/json")]);
        byte[] megabyte = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', 1024 * 1024) + "\"}");

        for (int i = 0; i < 7; i++)
        {
            await sink.WriteEventAsync(null, megabyte, default);
        }
        await sink.CompleteAsync(default);

        Assert.True(responder.Buffered!.Length < 1024);
        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.Equal(502, envelope.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("ResponseTooLarge", envelope.RootElement.GetProperty("headers").GetProperty("x-amzn-ErrorType").GetString());
        Assert.Contains("/stream/", envelope.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("ResponseTooLarge", channel.TooLarge!.Type);
    }
}
