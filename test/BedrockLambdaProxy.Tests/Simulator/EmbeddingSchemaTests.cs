using System.Text.Json;
using BedrockSimulator.Scripts;
using BedrockSimulator.Validation;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>The simulator's embedding bodies: what Bedrock refuses, in its JSON-schema wording, and deterministic vectors.</summary>
public sealed class EmbeddingSchemaTests
{
    private static string? Check(string modelId, string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return EmbeddingSchema.Check(EmbeddingModel.Of(modelId)!, document.RootElement);
    }

    [Theory]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":"hi","dimensions":512,"normalize":false,"embeddingTypes":["float","binary"]}""")]
    [InlineData("cohere.embed-english-v3", """{"texts":["a",""],"input_type":"search_document","truncate":"END","embedding_types":["float"]}""")]
    [InlineData("us.cohere.embed-v4:0", """{"texts":["a"],"input_type":"clustering","output_dimension":1536,"embedding_types":["float","int8"]}""")]
    public void Check_ValidBody_Null(string model, string body)
    {
        Assert.Null(Check(model, body));
    }

    [Theory]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":"hi","temperature":1}""", "#: extraneous key [temperature] is not permitted")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":""}""", "#/inputText: expected minLength: 1, actual: 0")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"dimensions":256}""", "#: required key [inputText] not found")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":"hi","dimensions":300}""", "#/dimensions: 300 is not a valid enum value")]
    [InlineData("amazon.titan-embed-text-v2:0", """{"inputText":"hi","normalize":"yes"}""", "#/normalize: expected type: Boolean, found: String")]
    [InlineData("cohere.embed-english-v3", """{"texts":["a"]}""", "#: required key [input_type] not found")]
    [InlineData("cohere.embed-english-v3", """{"texts":["a"],"input_type":"rerank"}""", "#/input_type: rerank is not a valid enum value")]
    [InlineData("cohere.embed-english-v3", """{"texts":["a"],"input_type":"search_query","output_dimension":256}""", "#: extraneous key [output_dimension] is not permitted")]
    [InlineData("cohere.embed-v4:0", """{"texts":["a"],"input_type":"search_query","output_dimension":300}""", "#/output_dimension: 300 is not a valid enum value")]
    [InlineData("cohere.embed-v4:0", """{"input_type":"search_query"}""", "#: required key [texts] not found")]
    public void Check_RefusedBody_BedrocksWording(string model, string body, string problem)
    {
        Assert.Equal($"Malformed input request: {problem}, please reformat your input and try again.", Check(model, body));
    }

    [Fact]
    public void Check_97Texts_MaximumItemCount()
    {
        string texts = string.Join(',', Enumerable.Repeat("\"a\"", 97));

        Assert.Contains("#/texts: expected maximum item count: 96, found: 97", Check("cohere.embed-english-v3", $$"""{"texts":[{{texts}}],"input_type":"search_query"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void For_SameTextSameVector_OtherTextOtherVector_NormalizedUnitLength()
    {
        float[] a = EmbeddingVectors.For("Hello there", "titan", 256, normalize: true);

        Assert.Equal(a, EmbeddingVectors.For("Hello there", "titan", 256, normalize: true));
        Assert.NotEqual(a, EmbeddingVectors.For("Hello there!", "titan", 256, normalize: true));
        Assert.Equal(1.0, Math.Sqrt(a.Sum(v => (double)v * v)), 5);
    }
}
