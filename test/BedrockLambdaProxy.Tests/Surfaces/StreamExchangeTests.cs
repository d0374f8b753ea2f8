using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Surfaces;

public sealed class StreamExchangeTests
{
    private static readonly BedrockCall ConverseStream =
        new(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, 0);

    private static MemoryStream Frames(params byte[][] frames) => new(frames.SelectMany(f => f).ToArray());

    [Fact]
    public async Task RunAsync_ConverseStreamOverSse_RelaysEventsThenDoneWithExactUsage()
    {
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}"""),
            EventStreamFrameBuilder.Event("metadata", """{"usage":{"inputTokens":7,"outputTokens":2,"totalTokens":9},"metrics":{"latencyMs":5}}"""))));
        var responder = new RecordingResponder();
        var exchange = new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System);

        CallOutcome outcome = await exchange.RunAsync(
            ExchangeTestKit.Admitted(responder, DeliveryMode.Streamed, [], [new("x-ratelimit-limit-requests", "50")]), ConverseStream, ErrorStyle.Proxy);

        Assert.Equal(200, responder.Prelude!.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-limit-requests", "50"), responder.Prelude.Headers);
        Assert.Contains(new KeyValuePair<string, string>("content-type", "text/event-stream; charset=utf-8"), responder.Prelude.Headers);
        Assert.Equal(
            "event: messageStart\ndata: {\"role\":\"assistant\"}\n\n"
            + "event: contentBlockDelta\ndata: {\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}\n\n"
            + "event: messageStop\ndata: {\"stopReason\":\"end_turn\"}\n\n"
            + "event: metadata\ndata: {\"usage\":{\"inputTokens\":7,\"outputTokens\":2,\"totalTokens\":9},\"metrics\":{\"latencyMs\":5}}\n\n"
            + "data: [DONE]\n\n",
            Encoding.UTF8.GetString(responder.StreamedBody));
        // The four frames and the end of the body had all arrived, so everything, [DONE] included,
        // left in one chunk with the end.
        Assert.Single(responder.Chunks);
        Assert.True(responder.Completed);
        Assert.Null(outcome.ErrorType);
        Assert.Equal(7, outcome.Tokens!.InputTokens);
        Assert.Equal(2, outcome.Tokens.OutputTokens);
        Assert.NotNull(outcome.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task RunAsync_ExceptionFrameMidStream_ErrorEventNoDoneTrailers()
    {
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamFrameBuilder.Exception("modelStreamErrorException", """{"message":"model broke"}"""))));
        var responder = new RecordingResponder();

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream, ErrorStyle.Proxy);

        string text = Encoding.UTF8.GetString(responder.StreamedBody);
        Assert.EndsWith("event: error\ndata: {\"type\":\"ModelStreamErrorException\",\"message\":\"model broke\"}\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal(("ModelStreamErrorException", "model broke"), responder.Failure);
        Assert.Equal("ModelStreamErrorException", outcome.ErrorType);
        Assert.Equal(200, outcome.HttpStatus);
    }

    [Fact]
    public async Task RunAsync_TruncatedUpstream_EndsStreamVisibly()
    {
        byte[] whole = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(whole, whole[..10])));
        var responder = new RecordingResponder();

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream, ErrorStyle.Proxy);

        Assert.Equal("ModelStreamErrorException", responder.Failure!.Value.Type);
        Assert.Equal("ModelStreamErrorException", outcome.ErrorType);
        Assert.False(responder.Completed);
    }

    [Fact]
    public async Task RunAsync_BufferedFront_CollectsChunkArray()
    {
        string chunk = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":11,"outputTokenCount":4,"invocationLatency":9,"firstByteLatency":3}}"""));
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("chunk", $$"""{"bytes":"{{Convert.ToBase64String("{\"type\":\"message_start\"}"u8.ToArray())}}"}"""),
            EventStreamFrameBuilder.Event("chunk", $$"""{"bytes":"{{chunk}}"}"""))));
        var responder = new RecordingResponder();
        var call = ConverseStream with { Operation = BedrockOperation.InvokeModelWithResponseStream };

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Buffered, []), call, ErrorStyle.Proxy);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        using JsonDocument array = JsonDocument.Parse(envelope.RootElement.GetProperty("body").GetString()!);
        Assert.Equal(2, array.RootElement.GetArrayLength());
        Assert.Equal("message_start", array.RootElement[0].GetProperty("type").GetString());
        Assert.Equal(11, array.RootElement[1].GetProperty("amazon-bedrock-invocationMetrics").GetProperty("inputTokenCount").GetInt32());
        Assert.Equal(11, outcome.Tokens!.InputTokens);
        Assert.Equal(4, outcome.Tokens.OutputTokens);
    }

    [Fact]
    public async Task RunAsync_AnthropicStream_TextDeltasRelayedAsFoundAndMetricsStripped()
    {
        // Text deltas reach the sink with the range the bill found (WriteTextDeltaAsync); the metrics chunk does not.
        static byte[] Chunk(string json) =>
            EventStreamFrameBuilder.Event("chunk", $$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(json))}}"}""");
        const string Hello = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello, "}}""";
        const string World = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"world"}}""";
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            Chunk(Hello),
            Chunk(World),
            Chunk("""{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":7,"outputTokenCount":2,"invocationLatency":9,"firstByteLatency":3}}"""))));
        var responder = new RecordingResponder();
        var call = ConverseStream with { Operation = BedrockOperation.InvokeModelWithResponseStream };

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), call, ErrorStyle.Anthropic, BedrockLambdaProxy.Surfaces.Anthropic.AnthropicStreamFormat.Instance);

        Assert.Equal(
            "event: content_block_delta\ndata: " + Hello + "\n\n"
            + "event: content_block_delta\ndata: " + World + "\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            Encoding.UTF8.GetString(responder.StreamedBody));
        Assert.Equal(new TokenUsage(7, 2), outcome.Tokens);
    }

    [Fact]
    public async Task RunAsync_ThrottledBeforeFirstByte_Answers429WithRetryAfter()
    {
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.Json(429, """{"message":"slow down"}""",
            ("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        var responder = new RecordingResponder();

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream, ErrorStyle.Proxy);

        Assert.Equal(429, responder.Prelude!.StatusCode);
        Assert.Contains(responder.Prelude.Headers, h => h.Key == "retry-after");
        Assert.Equal("""{"error":{"type":"ThrottlingException","message":"slow down"}}""", Encoding.UTF8.GetString(responder.StreamedBody));
        Assert.Equal(429, outcome.HttpStatus);
    }

    [Fact]
    public async Task RunAsync_CallerGoneMidStream_StopsAndRecordsClientCancelled()
    {
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""))));
        var responder = new RecordingResponder { ClientGone = true };

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), ConverseStream, ErrorStyle.Proxy);

        Assert.Equal("ClientCancelled", outcome.ErrorType);
        Assert.Empty(responder.Chunks);
        // Bedrock opened the stream and may charge it: the input estimate at least, marked.
        Assert.True(outcome.TokensEstimated);
        Assert.Equal(ConverseStream.InputTokenEstimate, outcome.Tokens!.InputTokens);
        Assert.True(outcome.Tokens.InputTokens > 0);
    }

    [Fact]
    public async Task RunAsync_BufferedAnswerOverLimit_ReadsToTheEndForBedrocksCountsAndSendsTooLarge()
    {
        string text = new('x', 1024 * 1024);
        var frames = Enumerable.Range(0, 8)
            .Select(_ => EventStreamFrameBuilder.Event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}"))
            .Append(EventStreamFrameBuilder.Event("metadata", """{"usage":{"inputTokens":5,"outputTokens":2000000,"totalTokens":2000005}}"""))
            .ToArray();
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(frames)));
        var responder = new RecordingResponder();
        RequestContext context = ExchangeTestKit.Context(responder, DeliveryMode.Buffered, []);

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            context, ConverseStream, ErrorStyle.Proxy);

        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered);
        Assert.Equal(502, envelope.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("ResponseTooLarge", context.Response.TooLarge!.Type);
        Assert.False(outcome.TokensEstimated);
        Assert.Equal(2_000_000, outcome.Tokens!.OutputTokens);
    }

    [Fact]
    public async Task RunAsync_ExceptionFrameAfterText_BillsMarkedEstimateNotZero()
    {
        var transport = new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Echo: one two three"}}"""),
            EventStreamFrameBuilder.Exception("modelStreamErrorException", """{"message":"model broke"}"""))));
        var responder = new RecordingResponder();
        var call = ConverseStream with { Body = """{"messages":[{"role":"user","content":[{"text":"one two three"}]}]}"""u8.ToArray() };

        CallOutcome outcome = await new StreamExchange(ExchangeTestKit.Client(transport), TimeProvider.System).RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), call, ErrorStyle.Proxy);

        Assert.True(outcome.TokensEstimated);
        Assert.Equal(call.InputTokenEstimate, outcome.Tokens!.InputTokens);
        Assert.Equal(TokenEstimate.FromText("Echo: one two three"), outcome.Tokens.OutputTokens);
    }
}
