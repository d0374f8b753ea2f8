using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

public sealed class EmbeddingsRequestReaderTests
{
    private const string Titan = "amazon.titan-embed-text-v2:0";

    private static EmbeddingsRequest Read(string json)
    {
        Assert.True(EmbeddingsRequestReader.TryRead(Encoding.UTF8.GetBytes(json), out EmbeddingsRequest? request, out ApiError? error), error?.Message);
        return request!;
    }

    private static ApiError Refused(string json)
    {
        Assert.False(EmbeddingsRequestReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out ApiError? error));
        Assert.Equal(400, error!.StatusCode);
        return error;
    }

    [Fact]
    public void TryRead_StringInput_DefaultsFloatNormalizedSearchDocument()
    {
        EmbeddingsRequest request = Read($$"""{"model":"{{Titan}}","input":"Hello there"}""");

        Assert.Equal(["Hello there"], request.Texts);
        Assert.Same(EmbeddingFamily.TitanV2, request.Family);
        Assert.False(request.Base64);
        Assert.True(request.Normalize);
        Assert.Null(request.Dimensions);
        Assert.Equal("search_document", request.InputType);
    }

    [Fact]
    public void TryRead_ArrayInputAndOptions_AllRead()
    {
        EmbeddingsRequest request = Read(
            """{"model":"us.cohere.embed-v4:0","input":["a","b"],"encoding_format":"base64","dimensions":512,"user":"u-1","input_type":"search_query"}""");

        Assert.Equal(["a", "b"], request.Texts);
        Assert.Same(EmbeddingFamily.CohereV4, request.Family);
        Assert.True(request.Base64);
        Assert.Equal(512, request.Dimensions);
        Assert.Equal("search_query", request.InputType);
    }

    [Fact]
    public void TryRead_NullOptionalParameters_TreatedAsAbsent()
    {
        EmbeddingsRequest request = Read($$"""{"model":"{{Titan}}","input":"x","encoding_format":null,"dimensions":null,"user":null}""");

        Assert.False(request.Base64);
        Assert.Null(request.Dimensions);
    }

    [Theory]
    // Each bad shape names its parameter, as OpenAI's API does.
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":[1,2,3]}""", "input", "unsupported_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":[[1,2],[3]]}""", "input", "unsupported_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":""}""", "input", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":[]}""", "input", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":["a",""]}""", "input[1]", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":["a",{"text":"b"}]}""", "input[1]", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":{"text":"b"}}""", "input", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0"}""", "input", "missing_required_parameter")]
    [InlineData("""{"input":"x"}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":42,"input":"x"}""", "model", "invalid_type")]
    [InlineData("""{"model":"amazon.nova-lite-v1:0","input":"x"}""", "model", "model_not_found")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","encoding_format":"binary"}""", "encoding_format", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","encoding_format":1}""", "encoding_format", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","dimensions":"256"}""", "dimensions", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","dimensions":256.5}""", "dimensions", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","dimensions":300}""", "dimensions", "invalid_value")]
    [InlineData("""{"model":"cohere.embed-english-v3","input":"x","dimensions":512}""", "dimensions", "invalid_value")]
    [InlineData("""{"model":"cohere.embed-v4:0","input":"x","dimensions":2048}""", "dimensions", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","user":7}""", "user", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","input_type":"search_query"}""", "input_type", "unsupported_parameter")]
    [InlineData("""{"model":"cohere.embed-english-v3","input":"x","input_type":"rerank"}""", "input_type", "invalid_value")]
    [InlineData("""{"model":"cohere.embed-english-v3","input":"x","input_type":1}""", "input_type", "invalid_type")]
    [InlineData("""{"model":"cohere.embed-english-v3","input":"x","normalize":false}""", "normalize", "unsupported_parameter")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","normalize":"no"}""", "normalize", "invalid_type")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"x","temperature":1}""", "temperature", "unknown_parameter")]
    public void TryRead_BadShape_400NamingParam(string json, string param, string code)
    {
        ApiError error = Refused(json);

        Assert.Equal((param, code), (error.Param, error.Code));
    }

    [Fact]
    public void TryRead_WrongType_OpenAiWording()
    {
        ApiError error = Refused($$"""{"model":"{{Titan}}","input":"x","dimensions":"256"}""");

        Assert.Equal("Invalid type for 'dimensions': expected an integer, but got a string instead.", error.Message);
    }

    [Fact]
    public void TryRead_MoreThan2048Inputs_400NamingInput()
    {
        string inputs = string.Join(',', Enumerable.Repeat("\"a\"", EmbeddingsRequestReader.MaxInputs + 1));

        ApiError error = Refused($$"""{"model":"{{Titan}}","input":[{{inputs}}]}""");

        Assert.Equal("input", error.Param);
    }

    [Theory]
    [InlineData("amazon.titan-embed-text-v2:0", "titan-v2")]
    [InlineData("global.cohere.embed-v4:0", "cohere-v4")]
    [InlineData("cohere.embed-multilingual-v3", "cohere-v3")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3", "cohere-v3")]
    public void Of_ModelIdProfileOrArn_Family(string model, string family)
    {
        Assert.Equal(family, EmbeddingFamily.Of(model)!.Name);
    }
}
