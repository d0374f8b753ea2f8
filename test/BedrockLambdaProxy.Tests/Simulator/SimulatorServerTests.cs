using System.Net;
using System.Text;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>
/// The simulator in-process, called over loopback through AWSSDK.Core's SigV4SigningHandler (the signer the
/// proxy uses, independent of the simulator's verifier) and decoded with AWSSDK.Core's event-stream parser.
/// </summary>
public sealed class SimulatorServerTests : IAsyncLifetime
{
    private SimulatorServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Converse_SignedByAwsSdk_ReturnsEchoWithUsage()
    {
        using var response = await PostAsync("anthropic.claude-3-haiku-20240307-v1:0", "converse", SimulatorHttp.Converse("Hello there"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal("Echo: Hello there", root.GetProperty("output").GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(5, root.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.Equal(8, root.GetProperty("usage").GetProperty("totalTokens").GetInt32());
    }

    [Fact]
    public async Task Invoke_ArnModelIdSignedByAwsSdk_ReturnsTokenCountHeaders()
    {
        const string Arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0";
        var body = """{"anthropic_version":"bedrock-2023-05-31","max_tokens":50,"messages":[{"role":"user","content":"one two three"}]}""";

        using var response = await PostAsync(Arn, "invoke", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("6", response.Headers.GetValues("X-Amzn-Bedrock-Input-Token-Count").Single());
        Assert.Equal("4", response.Headers.GetValues("X-Amzn-Bedrock-Output-Token-Count").Single());
        Assert.True(response.Headers.Contains("X-Amzn-Bedrock-Invocation-Latency"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Echo: one two three", doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ConverseStream_SignedByAwsSdk_FramesDecodeWithPaddingAndUsage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SimulatorHttp.Url(_server, "amazon.nova-lite-v1:0", "converse-stream"))
        {
            Content = new StringContent(SimulatorHttp.Converse("a b"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-simulator-chunks", "3");
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType!.MediaType);
        var events = SimulatorHttp.DecodeEvents(bytes);
        Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.True(e.Payload.RootElement.TryGetProperty("p", out _), "Bedrock pads every event"));
        var usage = events[^1].Payload.RootElement.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("inputTokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("outputTokens").GetInt32());
    }

    [Fact]
    public async Task ConverseStream_FailAfterOne_EndsWithExceptionFrame()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SimulatorHttp.Url(_server, "amazon.nova-lite-v1:0", "converse-stream"))
        {
            Content = new StringContent(SimulatorHttp.Converse("x y z"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-simulator-fault", "fail-after:1");
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(request);
        var messages = SimulatorHttp.DecodeMessages(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(3, messages.Count);
        Assert.Equal("exception", messages[^1].Headers[":message-type"].AsString());
        Assert.Equal("modelStreamErrorException", messages[^1].Headers[":exception-type"].AsString());
    }

    [Fact]
    public async Task Converse_WrongSecret_Returns403InvalidSignature()
    {
        using var client = SimulatorHttp.SignedClient("not-the-secret");
        using var response = await client.PostAsync(SimulatorHttp.Url(_server, "amazon.nova-lite-v1:0", "converse"),
            new StringContent(SimulatorHttp.Converse("x"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("InvalidSignatureException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("signature", doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converse_ThrottleTwoWithKey_TwoThrottledThenOkAndCounted()
    {
        var statuses = new List<HttpStatusCode>();
        using var client = SimulatorHttp.SignedClient();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, SimulatorHttp.Url(_server, "amazon.nova-lite-v1:0", "converse"))
            {
                Content = new StringContent(SimulatorHttp.Converse("x"), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-simulator-fault", "throttle:2");
            request.Headers.Add("x-simulator-request-key", "server-test-throttle");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
        Assert.Equal(3, _server.RequestCount("server-test-throttle"));
    }

    [Fact]
    public async Task Converse_BadFaultHeader_Returns400Validation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SimulatorHttp.Url(_server, "amazon.nova-lite-v1:0", "converse"))
        {
            Content = new StringContent(SimulatorHttp.Converse("x"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-simulator-fault", "explode");
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string modelId, string operation, string body)
    {
        using var client = SimulatorHttp.SignedClient();
        return await client.PostAsync(SimulatorHttp.Url(_server, modelId, operation), new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
