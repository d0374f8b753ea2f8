using System.Text;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Surfaces.OpenAi;
using BedrockLambdaProxy.Tests.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

/// <summary>The chat surface over a scripted Bedrock: the Converse request it sends and the exact OpenAI bytes it answers.</summary>
public sealed class OpenAiChatSurfaceTests
{
    // 2026-12-03T07:00:00Z: "created" in every answer.
    private static readonly ManualTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1796281200));
    private const string Head = """{"id":"chatcmpl-req-1","object":"chat.completion.chunk","created":1796281200,"model":"anthropic.claude-3-haiku-20240307-v1:0","choices":""";

    private const string ToolRequest =
        """{"model":"anthropic.claude-3-haiku-20240307-v1:0","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Top song on WZPZ?"}],"tools":[{"type":"function","function":{"name":"top_song","parameters":{"type":"object","properties":{"sign":{"type":"string"}}}}}]}""";

    private static MemoryStream Frames(params byte[][] frames) => new(frames.SelectMany(f => f).ToArray());

    private static MemoryStream ToolUseStream() => Frames(
        EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Let me call top_song."}}"""),
        EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        EventStreamFrameBuilder.Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"top_song"}}}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"sign\":"}}}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"WZPZ\"}"}}}"""),
        EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":1}"""),
        EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"tool_use"}"""),
        EventStreamFrameBuilder.Event("metadata", """{"usage":{"inputTokens":11,"outputTokens":14,"totalTokens":25,"cacheReadInputTokens":4},"metrics":{"latencyMs":5}}"""));

    private static async Task<(CallOutcome Outcome, RecordingResponder Responder, ScriptedBedrockTransport Transport)> RunAsync(
        string request, DeliveryMode delivery, Func<HttpRequestMessage, HttpResponseMessage> bedrock)
    {
        var transport = new ScriptedBedrockTransport(bedrock);
        var responder = new RecordingResponder();
        var client = ExchangeTestKit.Client(transport);
        var surface = new OpenAiChatSurface(new UnaryExchange(client), new StreamExchange(client, Clock), Clock);
        RequestContext context = ExchangeTestKit.Admitted(responder, delivery, Encoding.UTF8.GetBytes(request), [new("x-ratelimit-limit-requests", "50")]);
        Assert.True(surface.TryPrepare(context, out BedrockCall? call, out ApiError? error), error?.Message);
        CallOutcome outcome = await surface.ExecuteAsync(context, call!);
        return (outcome, responder, transport);
    }

    [Fact]
    public async Task ExecuteAsync_StreamWithToolUse_ExactChunksUsageThenDone()
    {
        (CallOutcome outcome, RecordingResponder responder, ScriptedBedrockTransport transport) =
            await RunAsync(ToolRequest, DeliveryMode.Streamed, _ => ScriptedBedrockTransport.EventStream(ToolUseStream()));

        Assert.EndsWith("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", transport.Requests[0].Request.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Top song on WZPZ?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"top_song","inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string"}}}}}}]}}""",
            Encoding.UTF8.GetString(transport.Requests[0].Body));
        Assert.Contains(new KeyValuePair<string, string>("content-type", "text/event-stream; charset=utf-8"), responder.Prelude!.Headers);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-limit-requests", "50"), responder.Prelude.Headers);
        // The whole stream arrived at once, so the events may share chunks: the body's bytes are what is exact.
        Assert.Equal(
            string.Concat(
                "data: " + Head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + Head + """[{"index":0,"delta":{"content":"Let me call top_song."},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"tooluse_1","type":"function","function":{"name":"top_song","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"sign\":"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"WZPZ\"}"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + Head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}""" + "\n\n",
                "data: " + Head + """[],"usage":{"prompt_tokens":15,"completion_tokens":14,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4}}}""" + "\n\n",
                "data: [DONE]\n\n"),
            Encoding.UTF8.GetString(responder.StreamedBody));
        Assert.True(responder.Completed);
        Assert.Null(outcome.ErrorType);
        Assert.Equal((11, 14, 4), (outcome.Tokens!.InputTokens, outcome.Tokens.OutputTokens, outcome.Tokens.CacheReadInputTokens));
    }

    private const string ThinkingRequest =
        """{"model":"anthropic.claude-sonnet-4-5-20250929-v1:0","stream":true,"reasoning_effort":"low","messages":[{"role":"user","content":"hi"}]}""";

    private const string ThinkingHead = """{"id":"chatcmpl-req-1","object":"chat.completion.chunk","created":1796281200,"model":"anthropic.claude-sonnet-4-5-20250929-v1:0","choices":""";

    // ConverseStream's reasoning as Claude sends it: text deltas, the signature in a delta of its own, a redacted block.
    private static MemoryStream ThinkingStream() => Frames(
        EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Think "}}}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"\"hard\"."}}}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"c2ln"}}}"""),
        EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"reasoningContent":{"redactedContent":"cmVk"}}}"""),
        EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":1}"""),
        EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"text":"Hi."}}"""),
        EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":2}"""),
        EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}"""),
        EventStreamFrameBuilder.Event("metadata", """{"usage":{"inputTokens":4,"outputTokens":30,"totalTokens":34},"metrics":{"latencyMs":5}}"""));

    [Fact]
    public async Task ExecuteAsync_StreamWithReasoning_ReasoningContentDeltasThenWholeThinkingBlocks()
    {
        (_, RecordingResponder responder, ScriptedBedrockTransport transport) =
            await RunAsync(ThinkingRequest, DeliveryMode.Streamed, _ => ScriptedBedrockTransport.EventStream(ThinkingStream()));

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":6144},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":2048}}}""",
            Encoding.UTF8.GetString(transport.Requests[0].Body));
        // Events that arrive together leave in one write (see StreamFlushTests), so the body is compared whole.
        Assert.Equal(
            string.Concat(
                "data: " + ThinkingHead + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{"reasoning_content":"Think "},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{"reasoning_content":"\"hard\"."},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{"thinking_blocks":[{"type":"thinking","thinking":"Think \"hard\".","signature":"c2ln"}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{"thinking_blocks":[{"type":"redacted_thinking","data":"cmVk"}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{"content":"Hi."},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
                "data: " + ThinkingHead + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""" + "\n\n",
                "data: [DONE]\n\n"),
            Encoding.UTF8.GetString(responder.StreamedBody));
    }

    [Fact]
    public async Task ExecuteAsync_StreamWithReasoningOnBufferedFront_OneCompletionWithReasoningAndThinkingBlocks()
    {
        (_, RecordingResponder responder, _) =
            await RunAsync(ThinkingRequest, DeliveryMode.Buffered, _ => ScriptedBedrockTransport.EventStream(ThinkingStream()));

        using var document = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(responder.Buffered!));
        Assert.Equal(
            """{"id":"chatcmpl-req-1","object":"chat.completion","created":1796281200,"model":"anthropic.claude-sonnet-4-5-20250929-v1:0","choices":[{"index":0,"message":{"role":"assistant","content":"Hi.","refusal":null,"reasoning_content":"Think \"hard\".","thinking_blocks":[{"type":"thinking","thinking":"Think \"hard\".","signature":"c2ln"},{"type":"redacted_thinking","data":"cmVk"}]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":30,"total_tokens":34,"prompt_tokens_details":{"cached_tokens":0}}}""",
            document.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_UnaryWithReasoning_ReasoningContentAndThinkingBlocksInTheMessage()
    {
        const string converse =
            """{"output":{"message":{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Think.","signature":"c2ln"}}},{"reasoningContent":{"redactedContent":"cmVk"}},{"text":"Hi."}]}},"stopReason":"end_turn","usage":{"inputTokens":4,"outputTokens":30,"totalTokens":34},"metrics":{"latencyMs":3}}""";
        (_, RecordingResponder responder, _) = await RunAsync(
            ThinkingRequest.Replace("\"stream\":true,", "", StringComparison.Ordinal), DeliveryMode.Streamed, _ => ScriptedBedrockTransport.Json(200, converse));

        Assert.Equal(
            """{"id":"chatcmpl-req-1","object":"chat.completion","created":1796281200,"model":"anthropic.claude-sonnet-4-5-20250929-v1:0","choices":[{"index":0,"message":{"role":"assistant","content":"Hi.","refusal":null,"reasoning_content":"Think.","thinking_blocks":[{"type":"thinking","thinking":"Think.","signature":"c2ln"},{"type":"redacted_thinking","data":"cmVk"}]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":30,"total_tokens":34,"prompt_tokens_details":{"cached_tokens":0}}}""",
            Encoding.UTF8.GetString(responder.StreamedBody));
    }

    [Fact]
    public async Task ExecuteAsync_UnaryUnsignedReasoning_ReasoningContentWithoutThinkingBlocks()
    {
        const string converse =
            """{"output":{"message":{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Think."}}},{"text":"Hi."}]}},"stopReason":"end_turn","usage":{"inputTokens":4,"outputTokens":5,"totalTokens":9}}""";
        (_, RecordingResponder responder, _) = await RunAsync(
            """{"model":"openai.gpt-oss-120b-1:0","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]}""",
            DeliveryMode.Streamed, _ => ScriptedBedrockTransport.Json(200, converse));

        Assert.Contains("""{"role":"assistant","content":"Hi.","refusal":null,"reasoning_content":"Think."},""", Encoding.UTF8.GetString(responder.StreamedBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_StreamOnBufferedFront_OneChatCompletion()
    {
        (CallOutcome outcome, RecordingResponder responder, _) =
            await RunAsync(ToolRequest, DeliveryMode.Buffered, _ => ScriptedBedrockTransport.EventStream(ToolUseStream()));

        string envelope = Encoding.UTF8.GetString(responder.Buffered!);
        Assert.Contains("\"statusCode\":200", envelope, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(envelope);
        Assert.Equal(
            """{"id":"chatcmpl-req-1","object":"chat.completion","created":1796281200,"model":"anthropic.claude-3-haiku-20240307-v1:0","choices":[{"index":0,"message":{"role":"assistant","content":"Let me call top_song.","refusal":null,"tool_calls":[{"id":"tooluse_1","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":15,"completion_tokens":14,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4}}}""",
            document.RootElement.GetProperty("body").GetString());
        Assert.Equal(11, outcome.Tokens!.InputTokens);
    }

    [Fact]
    public async Task ExecuteAsync_Unary_ExactChatCompletionFromConverse()
    {
        const string converse =
            """{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_9","name":"top_song","input":{"sign":"WZPZ"}}}]}},"stopReason":"tool_use","usage":{"inputTokens":11,"outputTokens":14,"totalTokens":25},"metrics":{"latencyMs":3}}""";
        (CallOutcome outcome, RecordingResponder responder, ScriptedBedrockTransport transport) = await RunAsync(
            ToolRequest.Replace("\"stream\":true,\"stream_options\":{\"include_usage\":true},", "", StringComparison.Ordinal),
            DeliveryMode.Streamed,
            _ => ScriptedBedrockTransport.Json(200, converse, ("x-amzn-RequestId", "upstream-1")));

        Assert.EndsWith("/converse", transport.Requests[0].Request.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(200, responder.Prelude!.StatusCode);
        Assert.Equal(
            """{"id":"chatcmpl-req-1","object":"chat.completion","created":1796281200,"model":"anthropic.claude-3-haiku-20240307-v1:0","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"tooluse_9","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":11,"completion_tokens":14,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":0}}}""",
            Encoding.UTF8.GetString(responder.StreamedBody));
        Assert.Equal(25, outcome.Tokens!.TotalTokens);
    }

    [Fact]
    public async Task ExecuteAsync_ExceptionMidStream_OpenAiErrorEventNoDoneTrailers()
    {
        (CallOutcome outcome, RecordingResponder responder, _) = await RunAsync(ToolRequest, DeliveryMode.Streamed, _ => ScriptedBedrockTransport.EventStream(Frames(
            EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamFrameBuilder.Exception("modelStreamErrorException", """{"message":"model broke"}"""))));

        string text = Encoding.UTF8.GetString(responder.StreamedBody);
        Assert.EndsWith(
            "event: error\ndata: {\"error\":{\"message\":\"model broke\",\"type\":\"api_error\",\"param\":null,\"code\":\"ModelStreamErrorException\"}}\n\n",
            text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal(("ModelStreamErrorException", "model broke"), responder.Failure);
        Assert.Equal("ModelStreamErrorException", outcome.ErrorType);
    }

    [Fact]
    public async Task ExecuteAsync_BedrockThrottles_429InOpenAiShapeWithRetryAfter()
    {
        (CallOutcome outcome, RecordingResponder responder, _) = await RunAsync(ToolRequest, DeliveryMode.Buffered,
            _ => ScriptedBedrockTransport.Json(429, """{"message":"Too many requests"}""", ("x-amzn-ErrorType", "ThrottlingException")));

        string envelope = Encoding.UTF8.GetString(responder.Buffered!);
        Assert.Contains("\"statusCode\":429", envelope, StringComparison.Ordinal);
        Assert.Contains("\"retry-after\":\"1\"", envelope, StringComparison.Ordinal);
        Assert.Contains("rate_limit_error", envelope, StringComparison.Ordinal);
        Assert.Equal(429, outcome.HttpStatus);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData(null, "stop")]
    public void From_StopReason_MapsToFinishReason(string? stopReason, string finishReason)
    {
        Assert.Equal(finishReason, FinishReasons.From(stopReason));
    }
}
