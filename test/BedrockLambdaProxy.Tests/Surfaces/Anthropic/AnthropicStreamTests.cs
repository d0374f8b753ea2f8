using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Surfaces.Anthropic;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces.Anthropic;

public sealed class AnthropicStreamTests
{
    [Fact]
    public void WithoutInvocationMetrics_LastChunk_MetricsRemovedRestKept()
    {
        byte[] chunk = Encoding.UTF8.GetBytes("""{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":3}}""");

        ReadOnlyMemory<byte> relayed = AnthropicEventJson.WithoutInvocationMetrics(chunk);

        Assert.Equal("""{"type":"message_stop"}""", Encoding.UTF8.GetString(relayed.Span));
    }

    [Fact]
    public void WithoutInvocationMetrics_OrdinaryChunk_SameBytes()
    {
        byte[] chunk = Encoding.UTF8.GetBytes("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9"}}""");

        Assert.True(AnthropicEventJson.WithoutInvocationMetrics(chunk).Span.SequenceEqual(chunk));
    }

    [Theory]
    // A plain text delta (the fast path) goes out as it came.
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 ok"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 ok"}}""")]
    // A text delta that also carries Bedrock's metrics is not a plain one: they are stripped.
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"amazon-bedrock-invocationMetrics":{"inputTokenCount":5}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}""")]
    public async Task EventSink_TextDelta_RelayedAsContentBlockDeltaWithoutMetrics(string chunk, string relayed)
    {
        var body = new RecordingResponder();
        var sink = new AnthropicEventSink(new SseEventSink(body, ErrorStyle.Anthropic));

        await sink.WriteEventAsync(null, Encoding.UTF8.GetBytes(chunk), flush: true, CancellationToken.None);

        Assert.Equal("event: content_block_delta\ndata: " + relayed + "\n\n", Encoding.UTF8.GetString(body.StreamedBody));
    }

    [Theory]
    [InlineData("""{"type":"message_start","message":{"type":"message"}}""", "message_start")]
    [InlineData("""{"index":1,"type":"content_block_stop"}""", "content_block_stop")]
    [InlineData("""{"index":1}""", null)]
    [InlineData("not json", null)]
    public void TypeOf_Chunk_TopLevelType(string json, string? type) =>
        Assert.Equal(type, AnthropicEventJson.TypeOf(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void StreamErrorJson_AnthropicStyle_AnthropicErrorEventPayload()
    {
        byte[] payload = ErrorResponses.StreamErrorJson(new ApiError(502, "ModelStreamErrorException", "broke"), ErrorStyle.Anthropic);

        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"broke"}}""", Encoding.UTF8.GetString(payload).Replace("\n", "").Replace(" ", ""));
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(503, "overloaded_error")]
    public void Render_AnthropicStyle_TypeByStatus(int status, string type)
    {
        var response = ErrorResponses.Render(new ApiError(status, "X", "m"), ErrorStyle.Anthropic);

        using JsonDocument body = JsonDocument.Parse(response.Body);
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(status, response.StatusCode);
    }
}
