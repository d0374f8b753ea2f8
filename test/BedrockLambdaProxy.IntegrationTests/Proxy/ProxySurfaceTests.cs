using System.Net;
using System.Text.Json;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>/converse and /invoke, unary / SSE / chunk array, through the real bootstrap and both fronts.</summary>
public sealed class ProxySurfaceTests(ProxyStackFixture stack) : IClassFixture<ProxyStackFixture>
{
    private static string Converse(string model, bool stream, string text = "Hello there") =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"{{text}}"}]}]}""";

    private static string Anthropic(string model, bool stream) =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":"Hello there"}]}]}""";

    [Fact]
    public async Task Converse_UnaryThroughFunctionUrl_ReturnsBedrockJsonAndLogsExactUsage()
    {
        const string model = "amazon.nova-lite-surface-unary-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model, false)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Echo: Hello there", body.RootElement.GetProperty("output").GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(5, body.RootElement.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.True(response.Headers.Contains("x-ratelimit-remaining-requests"));

        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("bedrock_invoke", usage.GetProperty("event_type").GetString());
        Assert.Equal(stack.CustomerId, usage.GetProperty("customer_id").GetString());
        Assert.Equal(5, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(8, usage.GetProperty("token_count").GetInt32());
        Assert.Equal("converse", usage.GetProperty("surface").GetString());
        Assert.Equal(usage.GetProperty("request_id").GetString(), response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task Converse_StreamThroughFunctionUrl_SseEventsThenDone()
    {
        const string model = "amazon.nova-lite-surface-sse-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model, true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        List<(string Event, string Data)> events = SseText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("messageStart", events[0].Event);
        Assert.Equal(("message", "[DONE]"), events[^1]);
        Assert.Equal("metadata", events[^2].Event);
        string text = string.Concat(events.Where(e => e.Event == "contentBlockDelta")
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Echo: Hello there", text);

        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("bedrock_stream", usage.GetProperty("event_type").GetString());
        Assert.Equal(5, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32());
        Assert.True(usage.GetProperty("time_to_first_token_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Converse_StreamThroughBufferedApiGateway_ChunkArrayInOrder()
    {
        const string model = "amazon.nova-lite-surface-array-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.ApiGatewayUrl, "/converse", Converse(model, true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument array = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string[] names = array.RootElement.EnumerateArray().Select(e => e.EnumerateObject().Single().Name).ToArray();
        Assert.Equal("messageStart", names[0]);
        Assert.Equal(["contentBlockStop", "messageStop", "metadata"], names[^3..]);
        Assert.All(names[1..^3], n => Assert.Equal("contentBlockDelta", n));
        Assert.Equal(3, (await stack.UsageLineAsync(model)).GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Converse_StreamThroughApiGatewayStreamRoute_Sse()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayStreamUrl, "/converse", Converse("amazon.nova-lite-surface-apistream-v1:0", true)));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(("message", "[DONE]"), SseText.Parse(await response.Content.ReadAsStringAsync())[^1]);
    }

    [Fact]
    public async Task Invoke_AnthropicUnaryThroughApiGateway_NativeBodyAndHeaderCounts()
    {
        const string model = "anthropic.claude-3-haiku-surface-unary-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.ApiGatewayUrl, "/invoke", Anthropic(model, false)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("message", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("Echo: Hello there", body.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("5", response.Headers.GetValues("X-Amzn-Bedrock-Input-Token-Count").Single());

        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal(5, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal("invoke", usage.GetProperty("surface").GetString());
    }

    [Fact]
    public async Task Invoke_AnthropicStreamThroughFunctionUrl_DecodedModelChunks()
    {
        const string model = "anthropic.claude-3-haiku-surface-sse-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/", Anthropic(model, true)));

        List<(string Event, string Data)> events = SseText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1].Data);
        string[] types = events[..^1].Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("type").GetString()!).ToArray();
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        Assert.Contains("content_block_delta", types);

        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal(5, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Invoke_AnthropicStreamThroughBufferedApiGateway_ChunkArrayOfModelJson()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/invoke", Anthropic("anthropic.claude-3-haiku-surface-array-v1:0", true)));

        using JsonDocument array = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("message_start", array.RootElement[0].GetProperty("type").GetString());
        JsonElement last = array.RootElement[array.RootElement.GetArrayLength() - 1];
        Assert.Equal("message_stop", last.GetProperty("type").GetString());
        Assert.Equal(5, last.GetProperty("amazon-bedrock-invocationMetrics").GetProperty("inputTokenCount").GetInt32());
    }

    [Fact]
    public async Task Health_NeedsNoKey_ThroughBothFronts()
    {
        using HttpResponseMessage viaUrl = await stack.Http.GetAsync(new Uri(stack.FunctionUrl, "health"));
        using HttpResponseMessage viaApi = await stack.Http.GetAsync(new Uri(stack.ApiGatewayUrl, "health"));

        Assert.Equal(HttpStatusCode.OK, viaUrl.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaApi.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await viaApi.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }
}
