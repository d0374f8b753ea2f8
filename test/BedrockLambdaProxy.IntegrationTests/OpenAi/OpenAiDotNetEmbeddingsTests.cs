using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Embeddings;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// The official OpenAI library for .NET's <see cref="EmbeddingClient"/>, unmodified, against <c>/v1/embeddings</c>: both
/// model families, both encodings (the typed method asks for base64, as its request shows, and decodes it itself), compared
/// value for value.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiDotNetEmbeddingsTests(OpenAiStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    /// <summary>Keeps the body of each request the library sends, to see which encoding it asked for.</summary>
    private sealed class RequestBodies : PipelinePolicy
    {
        public List<string> Sent { get; } = [];

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Keep(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Keep(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Keep(PipelineMessage message)
        {
            using var buffer = new MemoryStream();
            message.Request.Content?.WriteTo(buffer, CancellationToken.None);
            Sent.Add(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private readonly RequestBodies _sent = new();

    private EmbeddingClient Client(string model)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(stack.FunctionUrl, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        };
        options.AddPolicy(_sent, PipelinePosition.PerCall);
        return new(model, new ApiKeyCredential(stack.ApiKey), options);
    }

    /// <summary>The same request asking for floats in JSON: the raw protocol method, since the typed one picks base64.</summary>
    private async Task<float[][]> FloatsAsync(string model, string[] inputs, int? dimensions)
    {
        string dims = dimensions is int d ? $",\"dimensions\":{d}" : "";
        string json = $$"""{"model":"{{model}}","input":[{{string.Join(',', inputs.Select(i => $"\"{i}\""))}}],"encoding_format":"float"{{dims}}}""";
        ClientResult result = await Client(model).GenerateEmbeddingsAsync(BinaryContent.Create(BinaryData.FromString(json)), new RequestOptions { CancellationToken = Timeout });
        using var document = System.Text.Json.JsonDocument.Parse(result.GetRawResponse().Content);
        return [.. document.RootElement.GetProperty("data").EnumerateArray()
            .Select(item => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())];
    }

    [Theory]
    [InlineData("amazon.titan-embed-text-v2-dotnet:0", 512)]
    [InlineData("cohere.embed-english-v3-dotnet", null)]
    [InlineData("cohere.embed-v4-dotnet:0", 256)]
    public async Task GenerateEmbeddings_Base64ByDefault_SameValuesAsFloatEncoding(string model, int? dimensions)
    {
        string[] inputs = ["Hello there", "a b c", "Hello there"];
        var options = new EmbeddingGenerationOptions { Dimensions = dimensions };

        ClientResult<OpenAIEmbeddingCollection> result = await Client(model).GenerateEmbeddingsAsync(inputs, options, Timeout);
        float[][] floats = await FloatsAsync(model, inputs, dimensions);

        Assert.Contains("\"encoding_format\":\"base64\"", _sent.Sent[0], StringComparison.Ordinal);
        OpenAIEmbeddingCollection embeddings = result.Value;
        Assert.Equal([0, 1, 2], embeddings.Select(e => e.Index));
        Assert.All(embeddings, e => Assert.Equal(dimensions ?? 1024, e.ToFloats().Length));
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(floats[i], embeddings[i].ToFloats().ToArray());
        }
        Assert.Equal(embeddings[0].ToFloats().ToArray(), embeddings[2].ToFloats().ToArray());
        Assert.NotEqual(embeddings[0].ToFloats().ToArray(), embeddings[1].ToFloats().ToArray());
        Assert.True(embeddings.Usage.InputTokenCount > 0);
        Assert.Equal(embeddings.Usage.InputTokenCount, embeddings.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GenerateEmbedding_TokenIds_ClientResultExceptionWith400()
    {
        ClientResultException error = await Assert.ThrowsAsync<ClientResultException>(
            () => Client("amazon.titan-embed-text-v2:0").GenerateEmbeddingsAsync([new ReadOnlyMemory<int>([1, 2, 3])], cancellationToken: Timeout));

        Assert.Equal(400, error.Status);
        Assert.Contains("token ids", error.Message, StringComparison.Ordinal);
    }
}
