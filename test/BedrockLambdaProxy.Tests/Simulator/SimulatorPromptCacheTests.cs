using System.Net;
using System.Text;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>
/// What Claude Code relies on: Anthropic bodies with cache_control and trailing system-role messages, Converse
/// cachePoint blocks (first request writes the prefix, a repeat reads it), and CountTokens.
/// </summary>
public sealed class SimulatorPromptCacheTests : IAsyncLifetime
{
    private const string Claude = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    // Counted texts: "You are terse." (3 words, cached), "alpha beta gamma" (3), "Be brief." (2): 8 words + 3.
    private const string AnthropicBody = """
        {"anthropic_version":"bedrock-2023-05-31","max_tokens":100,
         "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Bash","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],
         "thinking":{"type":"adaptive"},"anthropic_beta":["interleaved-thinking-2025-05-14"],
         "messages":[{"role":"user","content":[{"type":"text","text":"alpha beta gamma"}]},
                     {"role":"system","content":[{"type":"text","text":"Be brief."}]}]}
        """;

    private SimulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await SimulatorServer.StartAsync(
        new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task InvokeStream_CacheControlRepeated_FirstWritesThenReadsPrefix()
    {
        var first = await StreamChunksAsync(Claude, AnthropicBody);
        var second = await StreamChunksAsync(Claude, AnthropicBody);

        // Thinking is on (adaptive), so the answer's text follows a signed thinking block.
        Assert.Equal("Echo: alpha beta gamma", string.Concat(first
            .Where(c => c.GetProperty("type").GetString() == "content_block_delta" && c.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(c => c.GetProperty("delta").GetProperty("text").GetString())));
        AssertAnthropicUsage(first[0].GetProperty("message").GetProperty("usage"), input: 8, write: 3, read: 0);
        AssertAnthropicUsage(second[0].GetProperty("message").GetProperty("usage"), input: 8, write: 0, read: 3);
        var metrics = second[^1].GetProperty("amazon-bedrock-invocationMetrics");
        Assert.Equal(8, metrics.GetProperty("inputTokenCount").GetInt32());
        Assert.Equal(3, metrics.GetProperty("cacheReadInputTokenCount").GetInt32());
        Assert.Equal(0, metrics.GetProperty("cacheWriteInputTokenCount").GetInt32());
    }

    [Fact]
    public async Task Invoke_CacheControlOnAnotherModel_WritesItsOwnEntry()
    {
        using var client = SimulatorHttp.SignedClient();
        await StreamChunksAsync(Claude, AnthropicBody);
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, "global.anthropic.claude-haiku-4-5-20251001-v1:0", "invoke", AnthropicBody));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3", response.Headers.GetValues("X-Amzn-Bedrock-Cache-Write-Input-Token-Count").Single());
        Assert.Equal("0", response.Headers.GetValues("X-Amzn-Bedrock-Cache-Read-Input-Token-Count").Single());
        Assert.Equal("8", response.Headers.GetValues("X-Amzn-Bedrock-Input-Token-Count").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        AssertAnthropicUsage(doc.RootElement.GetProperty("usage"), input: 8, write: 3, read: 0);
    }

    [Fact]
    public async Task Invoke_NoCacheControl_ReportsZeroCacheTokensAndNoCacheHeaders()
    {
        using var client = SimulatorHttp.SignedClient();
        const string body = """{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Hello there"}]}""";
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, Claude, "invoke", body));

        Assert.False(response.Headers.Contains("X-Amzn-Bedrock-Cache-Read-Input-Token-Count"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        AssertAnthropicUsage(doc.RootElement.GetProperty("usage"), input: 5, write: 0, read: 0);
    }

    [Fact]
    public async Task Converse_CachePointRepeated_WritesThenReadsAndTotalIncludesCache()
    {
        // "Use the rules below." (4 words) is before the cachePoint; "Hi there" (2) after it: 6 words + 3.
        const string body = """
            {"system":[{"text":"Use the rules below."},{"cachePoint":{"type":"default"}}],
             "messages":[{"role":"user","content":[{"text":"Hi there"}]}]}
            """;
        using var client = SimulatorHttp.SignedClient();
        var first = await ConverseUsageAsync(client, body);
        var second = await ConverseUsageAsync(client, body);

        Assert.Equal(5, first.GetProperty("inputTokens").GetInt32());
        Assert.Equal(4, first.GetProperty("cacheWriteInputTokens").GetInt32());
        Assert.Equal(0, first.GetProperty("cacheReadInputTokens").GetInt32());
        Assert.Equal(4, second.GetProperty("cacheReadInputTokens").GetInt32());
        Assert.Equal(0, second.GetProperty("cacheWriteInputTokens").GetInt32());
        // "Echo: Hi there" is 3 output tokens; totalTokens counts the cached ones too.
        Assert.Equal(5 + 3 + 4, second.GetProperty("totalTokens").GetInt32());
    }

    [Fact]
    public async Task CountTokens_InvokeModelBody_ReturnsAllInputTokensIgnoringCache()
    {
        var body = JsonSerializer.Serialize(new { input = new { invokeModel = new { body = Convert.ToBase64String(Encoding.UTF8.GetBytes(AnthropicBody)) } } });
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, "anthropic.claude-sonnet-4-5-20250929-v1:0", "count-tokens", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"inputTokens":11}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CountTokens_ConverseInput_ReturnsInputTokens()
    {
        const string body = """{"input":{"converse":{"messages":[{"role":"user","content":[{"text":"one two three"}]}]}}}""";
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, "amazon.nova-lite-v1:0", "count-tokens", body));

        Assert.Equal("""{"inputTokens":6}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"input":{}}""")]
    [InlineData("""{"input":{"invokeModel":{"body":"not base64!"}}}""")]
    [InlineData("""{"input":{"invokeModel":{"body":"e30="},"converse":{"messages":[]}}}""")]
    public async Task CountTokens_BadInput_Returns400Validation(string body)
    {
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, Claude, "count-tokens", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    private static void AssertAnthropicUsage(JsonElement usage, int input, int write, int read)
    {
        Assert.Equal(input, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(write, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(read, usage.GetProperty("cache_read_input_tokens").GetInt32());
    }

    private async Task<JsonElement> ConverseUsageAsync(HttpClient client, string body)
    {
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, "amazon.nova-lite-v1:0", "converse", body));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("usage").Clone();
    }

    private async Task<List<JsonElement>> StreamChunksAsync(string modelId, string body)
    {
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, modelId, "invoke-with-response-stream", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SimulatorHttp.DecodeChunks(await response.Content.ReadAsByteArrayAsync());
    }
}
