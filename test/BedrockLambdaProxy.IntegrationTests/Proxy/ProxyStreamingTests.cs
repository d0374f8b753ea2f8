using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>Streams reach the caller as they are generated, and failures after the first byte end them visibly.</summary>
public sealed class ProxyStreamingTests(ShortTimeoutStackFixture stack) : IClassFixture<ShortTimeoutStackFixture>
{
    private static string Converse(string model, bool stream = true) =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Theory]
    [InlineData("function-url")]
    [InlineData("api-stream-route")]
    public async Task ConverseStream_UpstreamStillGenerating_FirstEventsAlreadyArrived(string front)
    {
        // The simulator sends two deltas, then stays silent until the client leaves: any event the
        // caller sees was relayed while Bedrock was still "generating". No clock is involved.
        Uri baseUri = front == "function-url" ? stack.FunctionUrl : stack.ApiGatewayStreamUrl;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(baseUri, "/converse", Converse("fault.hang-after:2.amazon.nova-lite-v1:0")),
            HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);

        string seen = await StreamReading.ReadUntilAsync(body, "\"delta\"", timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("event: messageStart\n", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("messageStop", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativeConverseStream_UpstreamStillGenerating_FirstFramesAlreadyArrived()
    {
        // The same for Bedrock's own event stream passed through: the frames the caller reads left the
        // proxy while the simulator was still "generating" (silent after two deltas). No clock is involved.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/model/fault.hang-after%3A2.amazon.nova-lite-native-v1%3A0/converse-stream",
                """{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}"""),
            HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var frames = new BedrockEventStream(
            null, await response.Content.ReadAsStreamAsync(timeout.Token), BedrockResponseHeaders.Empty);

        var types = new List<string?>();
        while (types.Count(t => t == "contentBlockDelta") < 2)
        {
            BedrockStreamEvent? frame = await frames.ReadNextAsync(timeout.Token);
            Assert.NotNull(frame);
            types.Add(frame.EventType);
        }

        Assert.Equal("messageStart", types[0]);
        Assert.DoesNotContain("messageStop", types);
    }

    [Fact]
    public async Task ConverseStream_FailsAfterTwoDeltas_ErrorEventAndNoDone()
    {
        const string model = "fault.fail-after:2.amazon.nova-lite-midstream-v1:0";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", Converse(model)), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);

        (string text, _) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        List<(string Event, string Data)> events = SseText.Parse(text);
        Assert.Equal(2, events.Count(e => e.Event == "contentBlockDelta"));
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("ModelStreamErrorException", JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("bedrock_error", usage.GetProperty("event_type").GetString());
        Assert.Equal("ModelStreamErrorException", usage.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task ConverseStream_FailsMidStreamThroughBufferedApi_HonestStatusAndErrorElement()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/converse", Converse("fault.fail-after:2.amazon.nova-lite-midarray-v1:0")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using JsonDocument array = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement last = array.RootElement[array.RootElement.GetArrayLength() - 1];
        Assert.Equal("ModelStreamErrorException", last.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("messageStart", array.RootElement[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Converse_BedrockNeverAnswers_DeadlineGives504AndTheWorkerCarriesOn()
    {
        const string model = "fault.hang.amazon.nova-lite-deadline-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model, stream: false)));

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {text}\n{stack.WorkerLogText()}");
        Assert.Equal("DeadlineExceeded", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("DeadlineExceeded", (await stack.UsageLineAsync(model)).GetProperty("error_type").GetString());

        using HttpResponseMessage after = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0", stream: false)));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ConverseStream_BedrockStallsMidStream_DeadlineEndsStreamVisibly()
    {
        const string model = "fault.hang-after:1.amazon.nova-lite-stall-v1:0";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", Converse(model)), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);

        (string text, _) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.Equal("error", SseText.Parse(text)[^1].Event);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal("DeadlineExceeded", (await stack.UsageLineAsync(model)).GetProperty("error_type").GetString());
    }
}
