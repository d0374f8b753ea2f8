using System.Net;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Native InvokeModel formats (Titan, Nova), large answers and Bedrock API keys, over loopback.</summary>
public sealed class SimulatorFormatTests : IAsyncLifetime
{
    private SimulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await SimulatorServer.StartAsync(
        new SimulatorOptions { ChunkDelay = TimeSpan.Zero, BearerTokens = ["sim-api-key"] }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task InvokeStream_TitanBody_OutputTextChunksEndWithFinishAndMetrics()
    {
        var chunks = await StreamChunksAsync("amazon.titan-text-express-v1", """{"inputText":"a b c"}""");

        Assert.Equal("Echo: a b c", string.Concat(chunks.Select(c => c.GetProperty("outputText").GetString())));
        Assert.Equal(6, chunks[0].GetProperty("inputTextTokenCount").GetInt32());
        var last = chunks[^1];
        Assert.Equal("FINISH", last.GetProperty("completionReason").GetString());
        Assert.Equal(4, last.GetProperty("totalOutputTextTokenCount").GetInt32());
        Assert.Equal(6, last.GetProperty("amazon-bedrock-invocationMetrics").GetProperty("inputTokenCount").GetInt32());
        Assert.Equal(4, last.GetProperty("amazon-bedrock-invocationMetrics").GetProperty("outputTokenCount").GetInt32());
    }

    [Fact]
    public async Task InvokeStream_NovaBody_ConverseShapedChunksWithMetadata()
    {
        var chunks = await StreamChunksAsync("amazon.nova-lite-v1:0", """{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""");

        Assert.Equal("assistant", chunks[0].GetProperty("messageStart").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.TryGetProperty("contentBlockDelta", out _))
            .Select(c => c.GetProperty("contentBlockDelta").GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Echo: hi", text);
        Assert.Equal(6, chunks[^1].GetProperty("metadata").GetProperty("usage").GetProperty("totalTokens").GetInt32());
        Assert.Equal(2, chunks[^1].GetProperty("amazon-bedrock-invocationMetrics").GetProperty("outputTokenCount").GetInt32());
    }

    [Fact]
    public async Task ConverseStream_OutputBytes_StreamsExactSizeInThousandByteDeltas()
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, "amazon.nova-lite-v1:0", "converse-stream", SimulatorHttp.Converse("x"),
            ("x-simulator-output-bytes", "100000"));
        using var response = await client.SendAsync(request);
        var events = SimulatorHttp.DecodeEvents(await response.Content.ReadAsByteArrayAsync());

        var deltas = events.Where(e => e.Type == "contentBlockDelta")
            .Select(e => e.Payload.RootElement.GetProperty("delta").GetProperty("text").GetString()!).ToList();
        Assert.Equal(100, deltas.Count);
        Assert.Equal(100_000, deltas.Sum(d => d.Length));
    }

    [Fact]
    public async Task Converse_ConfiguredBearerToken_Accepted()
    {
        using var client = new HttpClient();
        using var request = SimulatorHttp.Post(_server, "amazon.nova-lite-v1:0", "converse", SimulatorHttp.Converse("key"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sim-api-key");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("end_turn", doc.RootElement.GetProperty("stopReason").GetString());
    }

    [Fact]
    public async Task Converse_UnknownBearerToken_Returns403UnrecognizedClient()
    {
        using var client = new HttpClient();
        using var request = SimulatorHttp.Post(_server, "amazon.nova-lite-v1:0", "converse", SimulatorHttp.Converse("key"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "other-key");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("UnrecognizedClientException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> StreamChunksAsync(string modelId, string body)
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, modelId, "invoke-with-response-stream", body);
        using var response = await client.SendAsync(request);
        Assert.Equal("application/json", response.Headers.GetValues("X-Amzn-Bedrock-Content-Type").Single());
        return SimulatorHttp.DecodeChunks(await response.Content.ReadAsByteArrayAsync());
    }
}
