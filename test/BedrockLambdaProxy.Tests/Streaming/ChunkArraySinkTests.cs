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
}
