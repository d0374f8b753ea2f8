using System.Net;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Embedding models over loopback, signed as AWS signs: answer shapes, the token-count header, the ledger, refusals.</summary>
public sealed class SimulatorEmbeddingTests : IAsyncLifetime
{
    private SimulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await SimulatorServer.StartAsync(new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body, string? InputTokens)> InvokeAsync(string model, string body, string operation = "invoke")
    {
        using HttpClient client = SimulatorHttp.SignedClient();
        using HttpResponseMessage response = await client.SendAsync(SimulatorHttp.Post(_server, model, operation, body));
        string text = await response.Content.ReadAsStringAsync();
        string? tokens = response.Headers.TryGetValues("X-Amzn-Bedrock-Input-Token-Count", out IEnumerable<string>? values) ? values.Single() : null;
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), tokens);
    }

    [Fact]
    public async Task Invoke_TitanV2_EmbeddingByTypeAndTokenCountsAndServedCall()
    {
        (HttpStatusCode status, JsonElement body, string? tokens) = await InvokeAsync("amazon.titan-embed-text-v2:0", """{"inputText":"a b c","dimensions":256}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(256, body.GetProperty("embedding").GetArrayLength());
        Assert.Equal(body.GetProperty("embedding").GetRawText(), body.GetProperty("embeddingsByType").GetProperty("float").GetRawText());
        Assert.Equal(("6", 6), (tokens, body.GetProperty("inputTextTokenCount").GetInt32()));
        var served = Assert.Single(_server.ServedCalls());
        Assert.Equal(("amazon.titan-embed-text-v2:0", "invoke", 6, 0), (served.ModelId, served.Operation, served.InputTokens, served.OutputTokens));
    }

    [Fact]
    public async Task Invoke_CohereV3WithoutAndWithEmbeddingTypes_FloatsThenByType()
    {
        (_, JsonElement floats, string? tokens) = await InvokeAsync("cohere.embed-english-v3", """{"texts":["a","b c"],"input_type":"search_query"}""");
        (_, JsonElement byType, _) = await InvokeAsync("cohere.embed-english-v3", """{"texts":["a","b c"],"input_type":"search_query","embedding_types":["float"]}""");

        Assert.Equal("embeddings_floats", floats.GetProperty("response_type").GetString());
        Assert.Equal(2, floats.GetProperty("embeddings").GetArrayLength());
        Assert.Equal(1024, floats.GetProperty("embeddings")[0].GetArrayLength());
        Assert.Equal(["a", "b c"], floats.GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("6", tokens);
        Assert.Equal("embeddings_by_type", byType.GetProperty("response_type").GetString());
        Assert.Equal(floats.GetProperty("embeddings").GetRawText(), byType.GetProperty("embeddings").GetProperty("float").GetRawText());
    }

    [Theory]
    [InlineData("invoke-with-response-stream", """{"inputText":"a"}""", "The model is unsupported for streaming.")]
    [InlineData("converse", """{"messages":[{"role":"user","content":[{"text":"a"}]}]}""", "This action doesn't support the model")]
    [InlineData("invoke", """{"inputText":"a","dimensions":100}""", "#/dimensions: 100 is not a valid enum value")]
    public async Task Refused_ValidationExceptionAndNothingServed(string operation, string body, string message)
    {
        (HttpStatusCode status, JsonElement answer, _) = await InvokeAsync("amazon.titan-embed-text-v2:0", body, operation);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_server.ServedCalls());
    }

    [Fact]
    public async Task Invoke_TextFaultThrottle1_ThatCallThrottledOnceThenServed_OtherTextsUntouched()
    {
        const string faulted = """{"texts":["a","fault.throttle:1"],"input_type":"search_query"}""";

        (HttpStatusCode first, JsonElement refusal, _) = await InvokeAsync("cohere.embed-english-v3", faulted);
        (HttpStatusCode plain, _, _) = await InvokeAsync("cohere.embed-english-v3", """{"texts":["a"],"input_type":"search_query"}""");
        (HttpStatusCode retried, _, _) = await InvokeAsync("cohere.embed-english-v3", faulted);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK), (first, plain, retried));
        Assert.Contains("attempt 1 of 1 throttled", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, _server.ServedCalls().Count);
    }

    [Fact]
    public async Task Invoke_TextFaultUnknown_ValidationExceptionNothingServed()
    {
        (HttpStatusCode status, JsonElement answer, _) = await InvokeAsync("amazon.titan-embed-text-v2:0", """{"inputText":"fault.nonsense"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unknown fault 'nonsense'", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_server.ServedCalls());
    }
}
