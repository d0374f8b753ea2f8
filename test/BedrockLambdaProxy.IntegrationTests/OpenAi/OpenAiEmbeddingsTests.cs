using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c> over plain HTTP through the real bootstrap, dynalite and the simulator: both model
/// families, both encodings, Cohere's batches, the usage records and the refusals. Each test names its own model id
/// (the simulator picks the family from the id) so its usage line and served calls are its own. The simulator counts
/// a call's input as its texts' words + 3.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiEmbeddingsTests(OpenAiStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private async Task<(HttpStatusCode Status, JsonElement Body)> EmbedAsync(string json, string? key = null)
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/v1/embeddings", json, key), Timeout);
        string text = await response.Content.ReadAsStringAsync(Timeout);
        using JsonDocument document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static float[] Floats(JsonElement item) => [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    private static float[] Decoded(JsonElement item)
    {
        byte[] bytes = Convert.FromBase64String(item.GetProperty("embedding").GetString()!);
        var vector = new float[bytes.Length / 4];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }
        return vector;
    }

    private IReadOnlyList<ServedCall> Served(string model) => [.. stack.Simulator.ServedCalls().Where(c => c.ModelId == model)];

    [Fact]
    public async Task Titan_FloatThenBase64_SameUnitVectorsInOrderAndUsageRecord()
    {
        const string floatModel = "amazon.titan-embed-text-v2-float:0";
        const string base64Model = "amazon.titan-embed-text-v2-base64:0";
        const string inputs = """["Hello there","a b c"]""";

        (HttpStatusCode status, JsonElement floats) = await EmbedAsync($$"""{"model":"{{floatModel}}","input":{{inputs}},"dimensions":256}""");
        (HttpStatusCode status64, JsonElement base64) = await EmbedAsync(
            $$"""{"model":"{{base64Model}}","input":{{inputs}},"dimensions":256,"encoding_format":"base64"}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, status64));
        Assert.Equal("list", floats.GetProperty("object").GetString());
        Assert.Equal(floatModel, floats.GetProperty("model").GetString());
        JsonElement[] data = [.. floats.GetProperty("data").EnumerateArray()];
        Assert.Equal([0, 1], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(data, d => Assert.Equal("embedding", d.GetProperty("object").GetString()));
        float[] first = Floats(data[0]);
        Assert.Equal(256, first.Length);
        // Titan normalizes by default.
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 3);
        Assert.NotEqual(first, Floats(data[1]));
        JsonElement[] data64 = [.. base64.GetProperty("data").EnumerateArray()];
        Assert.Equal(first, Decoded(data64[0]));
        Assert.Equal(Floats(data[1]), Decoded(data64[1]));
        // (2 + 3) + (3 + 3): one call per input.
        Assert.Equal((11, 11), (floats.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), floats.GetProperty("usage").GetProperty("total_tokens").GetInt32()));
        Assert.Equal(2, Served(floatModel).Count);

        JsonElement record = await stack.UsageLineAsync(floatModel);
        Assert.Equal("openai-embeddings", record.GetProperty("surface").GetString());
        Assert.False(record.GetProperty("streamed").GetBoolean());
        Assert.Equal((11, 0), (record.GetProperty("input_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task Titan_NormalizeFalse_VectorNotUnitLength()
    {
        (HttpStatusCode status, JsonElement body) = await EmbedAsync(
            """{"model":"amazon.titan-embed-text-v2-raw:0","input":"Hello there","normalize":false}""");

        Assert.Equal(HttpStatusCode.OK, status);
        float[] vector = Floats(body.GetProperty("data")[0]);
        Assert.Equal(1024, vector.Length);
        Assert.True(Math.Abs(Math.Sqrt(vector.Sum(v => (double)v * v)) - 1) > 0.5, "an unnormalized vector of 1,024 values in [-1, 1) is far from unit length");
    }

    [Fact]
    public async Task CohereV3_200Texts_ThreeBatchesInInputOrderUsageSummed()
    {
        const string model = "cohere.embed-english-v3-batch";
        string inputs = string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"text number {i}\""));

        (HttpStatusCode status, JsonElement body) = await EmbedAsync($$"""{"model":"{{model}}","input":[{{inputs}}]}""");
        (_, JsonElement alone) = await EmbedAsync("""{"model":"cohere.embed-english-v3-alone","input":"text number 150"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement[] data = [.. body.GetProperty("data").EnumerateArray()];
        Assert.Equal(Enumerable.Range(0, 200), data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(1024, Floats(data[0]).Length);
        // The same text (and input_type) gives the same vector: item 150 of the batch is text 150.
        Assert.Equal(Floats(alone.GetProperty("data")[0]), Floats(data[150]));
        Assert.Equal([96, 96, 8], Served(model).Select(c => (c.InputTokens - 3) / 3).Order().Reverse());
        // (96 × 3 + 3) × 2 + (8 × 3 + 3).
        Assert.Equal(609, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal(609, record.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task CohereV4_Dimensions256Base64_256Float32Values()
    {
        (HttpStatusCode status, JsonElement body) = await EmbedAsync(
            """{"model":"cohere.embed-v4-dims:0","input":["Hello there"],"dimensions":256,"encoding_format":"base64","input_type":"search_query"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(256, Decoded(body.GetProperty("data")[0]).Length);
        Assert.Equal(5, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":[[1,2,3]]}""", "input")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","dimensions":300}""", "dimensions")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","encoding_format":true}""", "encoding_format")]
    public async Task BadRequest_400InOpenAiShapeNamingParamAndBedrockNeverCalled(string json, string param)
    {
        int before = stack.Simulator.TotalRequests;

        (HttpStatusCode status, JsonElement body) = await EmbedAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(before, stack.Simulator.TotalRequests);
    }

    [Fact]
    public async Task ModelNotOnAllowList_403AndNeverReachesBedrock()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("titan-embed-only", CustomerLimits.None, ["amazon.titan-embed-text-v2:0"], Timeout);
        int before = stack.Simulator.TotalRequests;

        (HttpStatusCode denied, JsonElement refusal) = await EmbedAsync("""{"model":"cohere.embed-english-v3","input":"x"}""", key);
        (HttpStatusCode allowed, _) = await EmbedAsync("""{"model":"amazon.titan-embed-text-v2:0","input":"x"}""", key);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (denied, allowed));
        Assert.NotNull(refusal.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, stack.Simulator.TotalRequests - before);

        // The listing shows this customer the one embedding model it may use.
        using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.FunctionUrl, "v1/models"));
        list.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using HttpResponseMessage models = await stack.Http.SendAsync(list, Timeout);
        using JsonDocument listed = JsonDocument.Parse(await models.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(["amazon.titan-embed-text-v2:0"], listed.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Titan_OneInputRefusedMidBatch_400NoDataAndEveryServedCallBilled()
    {
        const string model = "amazon.titan-embed-text-v2-midfail:0";
        // Titan takes at most 50,000 characters: the sixth input is refused by "Bedrock".
        string inputs = string.Join(',', Enumerable.Range(0, 12).Select(i => i == 5 ? $"\"{new string('x', 50_001)}\"" : $"\"input {i}\""));

        (HttpStatusCode status, JsonElement body) = await EmbedAsync($$"""{"model":"{{model}}","input":[{{inputs}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains("expected maxLength: 50000", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        IReadOnlyList<ServedCall> served = Served(model);
        Assert.InRange(served.Count, 5, 11);
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal(400, record.GetProperty("status").GetInt32());
        Assert.Equal(served.Sum(c => c.InputTokens), record.GetProperty("input_tokens").GetInt32());
        Assert.Equal("openai-embeddings", record.GetProperty("surface").GetString());
    }
}
