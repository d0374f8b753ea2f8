using BedrockLambdaProxy.Surfaces.BedrockFormats;
using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;

namespace BedrockLambdaProxy.Tests.Surfaces.BedrockFormats;

public sealed class ProxyEnvelopeTests
{
    [Fact]
    public void TryRead_SeedBody_StripsOnlyEnvelopeFieldsKeepingBytes()
    {
        const string body = """{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0", "stream" : true,"messages":[{"role":"user","content":[{"type":"text","text":"Hi \u00e9"}]}],"anthropic_version":"bedrock-2023-05-31","max_tokens":1000}""";

        Assert.True(ProxyEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out ProxyEnvelope? envelope, out _));

        Assert.Equal("anthropic.claude-3-sonnet-20240229-v1:0", envelope!.ModelId);
        Assert.True(envelope.Stream);
        Assert.Equal(1000, envelope.MaxOutputTokens);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"type":"text","text":"Hi \u00e9"}]}],"anthropic_version":"bedrock-2023-05-31","max_tokens":1000}""",
            Encoding.UTF8.GetString(envelope.UpstreamBody.Span));
    }

    [Fact]
    public void TryRead_ModelField_IsAcceptedAndStripped()
    {
        Assert.True(ProxyEnvelope.TryRead("""{"model":"amazon.nova-lite-v1:0","messages":[],"inferenceConfig":{"maxTokens":64}}"""u8.ToArray(), out ProxyEnvelope? envelope, out _));

        Assert.Equal("amazon.nova-lite-v1:0", envelope!.ModelId);
        Assert.False(envelope.Stream);
        Assert.Equal(64, envelope.MaxOutputTokens);
        Assert.Equal("""{"messages":[],"inferenceConfig":{"maxTokens":64}}""", Encoding.UTF8.GetString(envelope.UpstreamBody.Span));
    }

    [Fact]
    public void TryRead_BothModelIdAndModel_ForwardsModelUntouched()
    {
        Assert.True(ProxyEnvelope.TryRead("""{"modelId":"a.b-v1:0","model":"kept"}"""u8.ToArray(), out ProxyEnvelope? envelope, out _));

        Assert.Equal("a.b-v1:0", envelope!.ModelId);
        Assert.Equal("""{"model":"kept"}""", Encoding.UTF8.GetString(envelope.UpstreamBody.Span));
    }

    [Theory]
    [InlineData("""{"messages":[]}""", "needs \"modelId\"")]
    [InlineData("""{"modelId":7}""", "\"modelId\" must be a string")]
    [InlineData("""{"modelId":"a","stream":"yes"}""", "\"stream\" must be true or false")]
    [InlineData("""{"modelId":""}""", "needs \"modelId\"")]
    [InlineData("""{"modelId":"a",""", "not valid JSON")]
    [InlineData("""{"modelId":"\ud800"}""", "\"modelId\" contains an escape sequence")]
    [InlineData("""{"model":null}""", "\"model\" must be a string, not null")]
    [InlineData("""{"modelId":"a","modelId":"b"}""", "names \"modelId\" twice")]
    [InlineData("""{"modelId":"a","inferenceConfig":{"maxTokens":"many"}}""", "\"inferenceConfig.maxTokens\" must be an integer from 1 to 2147483647, not a string")]
    public void TryRead_BadEnvelope_Gives400(string body, string expected)
    {
        Assert.False(ProxyEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out _, out ApiError? error));

        Assert.Equal(400, error!.StatusCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"max_tokens":300,"inferenceConfig":{"maxTokens":500}}""", 500)]
    [InlineData("""{"max_gen_len":40}""", 40)]
    [InlineData("""{"max_tokens_to_sample":41}""", 41)]
    [InlineData("""{"max_completion_tokens":42}""", 42)]
    [InlineData("""{"inferenceConfig":{"max_new_tokens":43}}""", 43)]
    [InlineData("""{"textGenerationConfig":{"maxTokenCount":44}}""", 44)]
    [InlineData("""{"inferenceConfig":"left to Bedrock"}""", 0)]
    [InlineData("""{"max_tokens":2147483647}""", 2147483647)]
    public void MaxTokensFieldTryRead_EachFamilysPlacement_ReservesTheLargest(string body, long expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);

        Assert.True(MaxTokensField.TryRead(document.RootElement, out long reserved, out _));

        Assert.Equal(expected, reserved);
    }

    [Theory]
    [InlineData("""{"inferenceConfig":{"maxTokens":"many"}}""", "inferenceConfig.maxTokens", "a string")]
    [InlineData("""{"max_tokens":1e400}""", "max_tokens", "1e400")]
    [InlineData("""{"max_tokens":null}""", "max_tokens", "null")]
    [InlineData("""{"max_tokens":0}""", "max_tokens", "0")]
    [InlineData("""{"max_tokens":-5}""", "max_tokens", "-5")]
    [InlineData("""{"max_tokens":2147483648}""", "max_tokens", "2147483648")]
    [InlineData("""{"max_tokens":99999999999999999999999999}""", "max_tokens", "a number out of range")]
    [InlineData("""{"max_tokens":12.5}""", "max_tokens", "12.5")]
    [InlineData("""{"max_gen_len":true}""", "max_gen_len", "a boolean")]
    [InlineData("""{"max_completion_tokens":[1]}""", "max_completion_tokens", "an array")]
    [InlineData("""{"inferenceConfig":{"max_new_tokens":{}}}""", "inferenceConfig.max_new_tokens", "an object")]
    [InlineData("""{"textGenerationConfig":{"maxTokenCount":"1"}}""", "textGenerationConfig.maxTokenCount", "a string")]
    public void MaxTokensFieldTryRead_BadValue_400NamingTheField(string body, string field, string got)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);

        Assert.False(MaxTokensField.TryRead(document.RootElement, out _, out ApiError? error));

        Assert.Equal((400, "ValidationException"), (error!.StatusCode, error.Type));
        Assert.Equal($"\"{field}\" must be an integer from 1 to 2147483647, not {got}.", error.Message);
    }
}
