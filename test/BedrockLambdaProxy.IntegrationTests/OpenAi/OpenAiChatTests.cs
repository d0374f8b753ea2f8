using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c> over plain HTTP through the real bootstrap, dynalite and the
/// simulator: the wire format, the usage records and every error status. Each test names its own
/// model id so its usage line is its own; the simulator counts tokens the same for any of them.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiChatTests(OpenAiStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static string Chat(string model, string text = "Hello there", string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{text}}"}]{{extra}}}""";

    [Fact]
    public async Task Unary_HelloThere_BedrockCountsInAnswerAndUsageRecordNamedOpenai()
    {
        const string model = "amazon.nova-lite-openai-unary-v1:0";

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat(model)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = body.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(model, root.GetProperty("model").GetString());
        JsonElement choice = root.GetProperty("choices")[0];
        Assert.Equal("Echo: Hello there", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        // The simulator's counts for "Hello there" (as for Converse: 5 in, 3 out), untouched.
        JsonElement usage = root.GetProperty("usage");
        Assert.Equal((5, 3, 8), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));

        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("openai", record.GetProperty("surface").GetString());
        Assert.False(record.GetProperty("streamed").GetBoolean());
        Assert.Equal((5, 3), (record.GetProperty("input_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task Stream_IncludeUsage_ChunksThenUsageChunkThenDoneAndUsageRecord()
    {
        const string model = "amazon.nova-lite-openai-stream-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat(model, extra: ""","stream":true,"stream_options":{"include_usage":true}""")),
            HttpCompletionOption.ResponseHeadersRead, Timeout);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        string text = await response.Content.ReadAsStringAsync(Timeout);
        List<(string Event, string Data)> events = SseText.Parse(text);
        Assert.Equal("[DONE]", events[^1].Data);
        List<JsonElement> chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        string content = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("Echo: Hello there", content);
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(5, chunks[^1].GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("openai", record.GetProperty("surface").GetString());
        Assert.True(record.GetProperty("streamed").GetBoolean());
        Assert.Equal((5, 3), (record.GetProperty("input_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task Stream_ThroughBufferedApiGateway_AnsweredAsOneChatCompletion()
    {
        const string model = "amazon.nova-lite-openai-buffered-v1:0";

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/v1/chat/completions", Chat(model, "through the gateway", ""","stream":true""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
        Assert.Equal("Echo: through the gateway", body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(6, body.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.True(record.GetProperty("streamed").GetBoolean());
        Assert.Equal(6, record.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_ThroughApiGatewayStreamingRoute_ChunksThenDone()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayStreamUrl, "/v1/chat/completions", Chat("amazon.nova-lite-v1:0", extra: ""","stream":true""")),
            HttpCompletionOption.ResponseHeadersRead, Timeout);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        List<(string Event, string Data)> events = SseText.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.Equal("stop", JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_FailsAfterTwoDeltas_OpenAiErrorEventAndNoDone()
    {
        const string model = "fault.fail-after:2.amazon.nova-lite-openai-midstream-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat(model, "break this stream please", ""","stream":true""")),
            HttpCompletionOption.ResponseHeadersRead, Timeout);
        await using Stream body = await response.Content.ReadAsStreamAsync(Timeout);

        (string text, _) = await StreamReading.ReadToEndAsync(body, Timeout);

        List<(string Event, string Data)> events = SseText.Parse(text);
        Assert.Equal("error", events[^1].Event);
        JsonElement error = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error");
        Assert.Equal("ModelStreamErrorException", error.GetProperty("code").GetString());
        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("ModelStreamErrorException", record.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task ModelNotOnAllowList_403PermissionErrorAndBedrockNotCalled()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("openai-nova-only", CustomerLimits.None, ["amazon.nova-lite-v1:0"], Timeout);
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("anthropic.claude-3-haiku-20240307-v1:0"), key));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("permission_error", ErrorOf(await response.Content.ReadAsStringAsync()).GetProperty("type").GetString());
        Assert.Equal(before, stack.Simulator.TotalRequests);
    }

    [Fact]
    public async Task UnknownModel_404ModelNotFound()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("fault.not-found.amazon.nova-lite-openai-missing-v1:0")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonElement error = ErrorOf(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task OverRequestsPerMinute_429WithRetryAfterAndRateLimitHeaders()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("openai-rpm-one", new CustomerLimits(1, null, null, null), [], Timeout);

        using HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("amazon.nova-lite-v1:0"), key));
        using HttpResponseMessage second = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("amazon.nova-lite-v1:0"), key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("1", second.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("0", second.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.NotEmpty(second.Headers.GetValues("x-ratelimit-reset-requests").Single());
        JsonElement error = ErrorOf(await second.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownKey_401AuthenticationError()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("amazon.nova-lite-v1:0"), "blp_not_a_real_key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", ErrorOf(await response.Content.ReadAsStringAsync()).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(""","n":2""", "n")]
    [InlineData(""","response_format":{"type":"json_object"}""", "response_format")]
    [InlineData(""","frobnicate":true""", "frobnicate")]
    public async Task MeaningChangingParameter_400NamingItAndBedrockNotCalled(string extra, string param)
    {
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", Chat("amazon.nova-lite-v1:0", extra: extra)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = ErrorOf(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(before, stack.Simulator.TotalRequests);
    }

    private static JsonElement ErrorOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").Clone();
}
