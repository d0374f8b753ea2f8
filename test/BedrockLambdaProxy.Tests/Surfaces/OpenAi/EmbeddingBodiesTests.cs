using System.Buffers.Binary;
using System.Text;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

/// <summary>The InvokeModel bodies per family, the batching, and the exact bytes of both answer encodings.</summary>
public sealed class EmbeddingBodiesTests
{
    private static EmbeddingsRequest Request(EmbeddingFamily family, int count, int? dimensions = null, bool normalize = true) =>
        new("m", family, [.. Enumerable.Range(0, count).Select(i => "t" + i)], dimensions, Base64: false, normalize, "search_query");

    private static string Text(ReadOnlyMemory<byte> body) => Encoding.UTF8.GetString(body.Span);

    [Fact]
    public void For_Titan_OneCallPerInputInOrder()
    {
        IReadOnlyList<EmbeddingBodies.Call> calls = EmbeddingBodies.For(Request(EmbeddingFamily.TitanV2, 3, 256, normalize: false));

        Assert.Equal(
            [
                """{"inputText":"t0","dimensions":256,"normalize":false}""",
                """{"inputText":"t1","dimensions":256,"normalize":false}""",
                """{"inputText":"t2","dimensions":256,"normalize":false}""",
            ],
            calls.Select(c => Text(c.Body)));
        Assert.Equal([(0, 1), (1, 1), (2, 1)], calls.Select(c => (c.First, c.Count)));
    }

    [Fact]
    public void For_TitanWithoutDimensions_NormalizeOnAndNoDimensions()
    {
        Assert.Equal("""{"inputText":"t0","normalize":true}""", Text(EmbeddingBodies.For(Request(EmbeddingFamily.TitanV2, 1))[0].Body));
    }

    [Fact]
    public void For_Cohere200Texts_BatchesOf96()
    {
        IReadOnlyList<EmbeddingBodies.Call> calls = EmbeddingBodies.For(Request(EmbeddingFamily.CohereV3, 200));

        Assert.Equal([(0, 96), (96, 96), (192, 8)], calls.Select(c => (c.First, c.Count)));
        Assert.StartsWith("""{"texts":["t96","t97",""", Text(calls[1].Body), StringComparison.Ordinal);
        Assert.EndsWith("\"t199\"],\"input_type\":\"search_query\"}", Text(calls[2].Body), StringComparison.Ordinal);
    }

    [Fact]
    public void For_CohereV4WithDimensions_OutputDimensionAndFloatType()
    {
        Assert.Equal(
            """{"texts":["t0"],"input_type":"search_query","embedding_types":["float"],"output_dimension":512}""",
            Text(EmbeddingBodies.For(Request(EmbeddingFamily.CohereV4, 1, 512))[0].Body));
    }

    [Fact]
    public void Write_Base64_LittleEndianFloat32Bytes()
    {
        float[] vector = [1.0f, -0.5f, 0.1f];
        byte[] expected = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(expected, 1.0f);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(4), -0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(8), 0.1f);

        string json = Encoding.UTF8.GetString(EmbeddingsJson.Write("m", [vector], base64: true, 7).Span);

        // 1.0f = 00 00 80 3F, -0.5f = 00 00 00 BF, 0.1f = CD CC CC 3D.
        Assert.Equal("AACAPwAAAL/NzMw9", Convert.ToBase64String(expected));
        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AACAPwAAAL/NzMw9"}],"model":"m","usage":{"prompt_tokens":7,"total_tokens":7}}""",
            json);
    }

    [Fact]
    public void Write_Float_ShortestFloat32Text()
    {
        string json = Encoding.UTF8.GetString(EmbeddingsJson.Write("m", [[0.1f, -2f], [3.5f]], base64: false, 4).Span);

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-2]},{"object":"embedding","index":1,"embedding":[3.5]}],"model":"m","usage":{"prompt_tokens":4,"total_tokens":4}}""",
            json);
    }

    [Theory]
    [InlineData("""{"embedding":[0.5,0.25],"inputTextTokenCount":3}""", true, 1)]
    [InlineData("""{"embeddingsByType":{"float":[0.5,0.25]}}""", true, 1)]
    [InlineData("""{"id":"x","embeddings":[[0.5,0.25],[1,2]],"response_type":"embeddings_floats","texts":["a","b"]}""", false, 2)]
    [InlineData("""{"id":"x","embeddings":{"float":[[0.5,0.25],[1,2]]},"response_type":"embeddings_by_type"}""", false, 2)]
    public void Read_EachAnswerShape_Vectors(string body, bool titan, int count)
    {
        float[][]? vectors = EmbeddingAnswerReader.Read(Encoding.UTF8.GetBytes(body), titan, count);

        Assert.Equal(0.5f, vectors![0][0]);
        Assert.Equal(count, vectors.Length);
    }

    [Theory]
    [InlineData("""{"embeddings":[[0.5]]}""", 2)]
    [InlineData("""{"embeddings":{"int8":[[1]]}}""", 1)]
    [InlineData("""{"embeddings":[["a"]]}""", 1)]
    [InlineData("not json", 1)]
    public void Read_WrongCountOrShape_Null(string body, int count)
    {
        Assert.Null(EmbeddingAnswerReader.Read(Encoding.UTF8.GetBytes(body), titan: false, count));
    }
}
