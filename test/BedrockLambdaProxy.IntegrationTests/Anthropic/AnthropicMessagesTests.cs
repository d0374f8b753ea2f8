using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.OpenAi;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c> over plain HTTP through the real bootstrap, dynalite and the simulator: Anthropic's wire
/// format, usage records named <c>anthropic</c>, the beta / field policy, aliases and errors in Anthropic's shape.
/// It shares the OpenAI tests' stack (one stack per collection costs a few seconds of two busy cores); each test
/// names its own model id so its usage line is its own.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class AnthropicMessagesTests(OpenAiStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static string Messages(string model, string text = "Hello there", string extra = "") =>
        $$"""{"model":"{{model}}","max_tokens":256,"messages":[{"role":"user","content":"{{text}}"}]{{extra}}}""";

    private HttpRequestMessage WithApiKey(Uri baseUri, string path, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path.TrimStart('/')))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", key ?? stack.ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    [Fact]
    public async Task Unary_XApiKey_BedrockMessagesJsonRequestIdAndUsageRecordNamedAnthropic()
    {
        const string model = "anthropic.claude-unary-test-v1:0";

        using HttpResponseMessage response = await stack.Http.SendAsync(WithApiKey(stack.FunctionUrl, "/v1/messages", Messages(model)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string requestId = response.Headers.GetValues("request-id").Single();
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), requestId);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = body.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("Echo: Hello there", root.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        int input = root.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        int output = root.GetProperty("usage").GetProperty("output_tokens").GetInt32();

        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("anthropic", record.GetProperty("surface").GetString());
        Assert.Equal(requestId, record.GetProperty("request_id").GetString());
        Assert.False(record.GetProperty("streamed").GetBoolean());
        Assert.Equal((input, output), (record.GetProperty("input_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task Stream_AnthropicEventsInOrder_NoInvocationMetricsNoDoneAndStreamedUsageRecord()
    {
        const string model = "anthropic.claude-stream-test-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages(model, extra: ""","stream":true""")),
            HttpCompletionOption.ResponseHeadersRead, Timeout);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        string text = await response.Content.ReadAsStringAsync(Timeout);
        List<(string Event, string Data)> events = SseText.Parse(text);
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("content_block_start", events[1].Event);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Event));
        // Every event's name is its own type, as Anthropic's SDKs dispatch on it.
        Assert.All(events, e => Assert.Equal(e.Event, JsonDocument.Parse(e.Data).RootElement.GetProperty("type").GetString()));
        string content = string.Concat(events.Where(e => e.Event == "content_block_delta")
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Echo: Hello there", content);
        Assert.DoesNotContain("amazon-bedrock-invocationMetrics", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        int output = JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32();

        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("anthropic", record.GetProperty("surface").GetString());
        Assert.True(record.GetProperty("streamed").GetBoolean());
        Assert.Equal(output, record.GetProperty("output_tokens").GetInt32());
        Assert.Equal(
            JsonDocument.Parse(events[0].Data).RootElement.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32(),
            record.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_ThroughBufferedApiGateway_OneMessagesJson()
    {
        const string model = "anthropic.claude-buffered-test-v1:0";

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/v1/messages", Messages(model, "through the gateway", ""","stream":true""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = body.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("assistant", root.GetProperty("role").GetString());
        Assert.Equal("Echo: through the gateway", Assert.Single(root.GetProperty("content").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.True(record.GetProperty("streamed").GetBoolean());
        Assert.Equal(root.GetProperty("usage").GetProperty("output_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task BetaQuery_FieldsAndBetasBedrockRefuses_DroppedLoggedAndAnswered()
    {
        const string model = "anthropic.claude-sonnet-4-5-dropped-test-v1:0";
        HttpRequestMessage request = stack.Post(stack.FunctionUrl, "/v1/messages?beta=true",
            Messages(model, extra: ""","metadata":{"user_id":"dev-1"},"service_tier":"auto","container":"c-1","stream":false"""));
        request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");

        using HttpResponseMessage response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string line = await stack.LogLineAsync(
            "anthropic request: fields and betas Bedrock does not take were dropped", response.Headers.GetValues("request-id").Single());
        using JsonDocument log = JsonDocument.Parse(line);
        Assert.Equal(
            ["anthropic-beta:claude-code-20250219", "anthropic-beta:fine-grained-tool-streaming-2025-05-14", "container", "service_tier"],
            log.RootElement.GetProperty("dropped").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Alias_ClaudeHaiku45_AnsweredAndUsageRecordSeesTheInferenceProfile()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages("claude-haiku-4-5", "alias please")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement record = await stack.UsageLineAsync("us.anthropic.claude-haiku-4-5-20251001-v1:0");
        Assert.Equal("anthropic", record.GetProperty("surface").GetString());
    }

    [Fact]
    public async Task NonClaudeModel_400InvalidRequestNamingTheSurfacesThatServeIt()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages("amazon.nova-lite-v1:0")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("/v1/chat/completions", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(response.Headers.GetValues("request-id").Single());
    }

    [Fact]
    public async Task UnknownKey_401AuthenticationErrorInAnthropicShape()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            WithApiKey(stack.FunctionUrl, "/v1/messages", Messages("anthropic.claude-3-haiku-20240307-v1:0"), "blp_not_a_real_key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonElement root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("authentication_error", root.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task TwoDifferentKeys_400BeforeAnyLookup()
    {
        HttpRequestMessage request = WithApiKey(stack.FunctionUrl, "/v1/messages", Messages("anthropic.claude-3-haiku-20240307-v1:0"), "blp_other_key");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.ApiKey);

        using HttpResponseMessage response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("two different API keys", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BedrockValidationError_RelayedVerbatimAsInvalidRequestError()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages("fault.validation.anthropic.claude-invalid-test-v1:0")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("Simulated validation failure.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task BedrockThrottlingPastRetries_429RateLimitErrorWithRetryAfter()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages("fault.throttle:9.anthropic.claude-throttled-test-v1:0")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task CacheControl_UsageRecordsCarryCacheWriteThenCacheRead()
    {
        const string model = "anthropic.claude-cache-test-v1:0";
        string body = $$$"""{"model":"{{{model}}}","max_tokens":64,"system":[{"type":"text","text":"You are a careful assistant for the cache test","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}""";

        using HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/messages", body));
        JsonElement written = await stack.UsageLineAsync(model);
        using HttpResponseMessage second = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/messages", body, stack.ApiKey));
        Assert.True(await Eventually.WaitAsync(() => stack.UsageLines(model).Count == 2, TimeSpan.FromSeconds(10)));
        JsonElement read = stack.UsageLines(model)[1];

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(written.GetProperty("cache_write_input_tokens").GetInt32() > 0);
        Assert.Equal(0, written.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(written.GetProperty("cache_write_input_tokens").GetInt32(), read.GetProperty("cache_read_input_tokens").GetInt32());
        JsonElement usage = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        Assert.Equal(read.GetProperty("cache_read_input_tokens").GetInt32(), usage.GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_FailsAfterTwoDeltas_AnthropicErrorEventAndNoMessageStop()
    {
        const string model = "fault.fail-after:2.anthropic.claude-midstream-test-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/messages", Messages(model, "break this stream please", ""","stream":true""")),
            HttpCompletionOption.ResponseHeadersRead, Timeout);
        await using Stream body = await response.Content.ReadAsStreamAsync(Timeout);

        (string text, _) = await StreamReading.ReadToEndAsync(body, Timeout);

        List<(string Event, string Data)> events = SseText.Parse(text);
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("error", events[^1].Event);
        JsonElement error = JsonDocument.Parse(events[^1].Data).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("api_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal("ModelStreamErrorException", record.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task CountTokens_AnsweredInAnthropicShapeWithBedrocksCount()
    {
        const string model = "anthropic.claude-count-test-v1:0";
        using HttpResponseMessage counted = await stack.Http.SendAsync(WithApiKey(stack.FunctionUrl, "/v1/messages/count_tokens",
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello there"}]}"""));
        using HttpResponseMessage invoked = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/messages", Messages("anthropic.claude-count-compare-v1:0")));

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await counted.Content.ReadAsStringAsync());
        Assert.Equal(["input_tokens"], body.RootElement.EnumerateObject().Select(p => p.Name));
        int expected = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.Equal(expected, body.RootElement.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Models_WithAnthropicVersion_AnthropicListOfSendableNames()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.FunctionUrl, "v1/models"));
        request.Headers.Add("x-api-key", stack.ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");

        using HttpResponseMessage response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(root.GetProperty("has_more").GetBoolean());
        List<string> ids = root.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Contains("claude-sonnet-4-5-20250929", ids);
        Assert.All(root.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("type").GetString()));
        Assert.Equal(ids[0], root.GetProperty("first_id").GetString());
    }

    [Fact]
    public async Task ModelsRetrieve_WithAnthropicVersion_AnthropicModelOr404NotFoundError()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync(
            "anthropic-model-retrieve", BedrockLambdaProxy.Auth.CustomerLimits.None, ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "amazon.nova-lite-v1:0"], Timeout);

        async Task<(HttpStatusCode Status, string Body, bool RequestId)> RetrieveAsync(string id, bool anthropicVersion = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.FunctionUrl, "v1/models/" + Uri.EscapeDataString(id)));
            if (anthropicVersion)
            {
                request.Headers.Add("x-api-key", key);
                request.Headers.Add("anthropic-version", "2023-06-01");
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            using HttpResponseMessage response = await stack.Http.SendAsync(request, Timeout);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Timeout), response.Headers.Contains("request-id"));
        }

        (HttpStatusCode status, string body, bool requestId) = await RetrieveAsync("claude-sonnet-4-5");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"type":"model","id":"claude-sonnet-4-5","display_name":"claude-sonnet-4-5","created_at":"1970-01-01T00:00:00Z"}""", body);
        Assert.True(requestId);

        (status, body, _) = await RetrieveAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"id\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"", body, StringComparison.Ordinal);

        // Allowed but not Claude, and Claude but not allowed: neither can be sent to /v1/messages with this key.
        foreach (string other in (string[])["amazon.nova-lite-v1:0", "claude-haiku-4-5"])
        {
            (status, body, requestId) = await RetrieveAsync(other);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal(
                """{"type":"error","error":{"type":"not_found_error","message":"model: """ + other
                + """ (not a Claude model this API key may call through /v1/messages)"}}""",
                body);
            Assert.True(requestId);
        }

        // Without anthropic-version the same path answers in OpenAI's shape.
        (status, body, _) = await RetrieveAsync("amazon.nova-lite-v1:0", anthropicVersion: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"id":"amazon.nova-lite-v1:0","object":"model","created":0,"owned_by":"amazon"}""", body);
    }
}
