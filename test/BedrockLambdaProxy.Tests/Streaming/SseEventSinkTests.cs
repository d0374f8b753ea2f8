using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Streaming;

public sealed class SseEventSinkTests
{
    [Fact]
    public async Task WriteEventAsync_NamedEvent_OneChunkPerEventExactBytes()
    {
        var body = new RecordingResponder();
        var sink = new SseEventSink(body);

        await sink.WriteEventAsync("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}"u8.ToArray(), default);
        await sink.WriteEventAsync(null, "{\"type\":\"message_stop\"}"u8.ToArray(), default);
        await sink.CompleteAsync(default);

        Assert.Equal(
            ["event: contentBlockDelta\ndata: {\"delta\":{\"text\":\"Hi\"}}\n\n", "data: {\"type\":\"message_stop\"}\n\n", "data: [DONE]\n\n"],
            body.Chunks.Select(c => Encoding.UTF8.GetString(c)));
        Assert.True(body.Completed);
    }

    [Fact]
    public async Task WriteEventAsync_DataWithNewlines_SplitsIntoDataLines()
    {
        var body = new RecordingResponder();

        await new SseEventSink(body).WriteEventAsync("x", "{\r\n\"a\":1\n}"u8.ToArray(), default);

        Assert.Equal("event: x\ndata: {\ndata: \"a\":1\ndata: }\n\n", Encoding.UTF8.GetString(body.Chunks.Single()));
    }

    [Fact]
    public async Task WriteEventAsync_OnlyNewlines_EveryLineGetsItsDataPrefix()
    {
        // The worst case for the event's size: every byte of the payload starts a new data line.
        var body = new RecordingResponder();
        byte[] payload = [.. Enumerable.Repeat((byte)'\n', 5000)];

        await new SseEventSink(body).WriteEventAsync("x", payload, default);

        string expected = "event: x\n" + string.Concat(Enumerable.Repeat("data: \n", 5001)) + "\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(body.Chunks.Single()));
    }

    [Fact]
    public async Task FailAsync_WritesErrorEventNoDoneAndTrailers()
    {
        var body = new RecordingResponder();
        var sink = new SseEventSink(body);
        await sink.WriteEventAsync("messageStart", "{\"role\":\"assistant\"}"u8.ToArray(), default);

        await sink.FailAsync(new ApiError(502, "ModelStreamErrorException", "Upstream broke."), default);

        string text = Encoding.UTF8.GetString(body.StreamedBody);
        Assert.EndsWith("event: error\ndata: {\"type\":\"ModelStreamErrorException\",\"message\":\"Upstream broke.\"}\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal(("ModelStreamErrorException", "Upstream broke."), body.Failure);
        Assert.False(body.Completed);
    }

    [Fact]
    public async Task FailAsync_ClientGone_StillSendsTrailers()
    {
        var body = new RecordingResponder { ClientGone = true };

        await Assert.ThrowsAsync<IOException>(() => new SseEventSink(body).FailAsync(new ApiError(502, "T", "m"), default));

        Assert.Equal(("T", "m"), body.Failure);
    }
}
