using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;

namespace BedrockLambdaProxy.Tests.Surfaces;

public sealed class ProxyEnvelopeTests
{
    [Fact]
    public void TryRead_SeedBody_StripsOnlyEnvelopeFieldsKeepingBytes()
    {
        const string body = """{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0", "stream" : true,"messages":[{"role":"user","content":[{"type":"text","text":"Hi \u00e9"}]}],"anthropic_version":"bedrock-2023-05-31","max_tokens":1000}""";

        Assert.True(ProxyEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out ProxyEnvelope? envelope, out _));

        Assert.Equal("anthropic.claude-3-sonnet-20240229-v1:0", envelope!.ModelId);
        Assert.True(envelope.Stream);
        Assert.Equal(1000, envelope.ReservedTokens);
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
        Assert.Equal(64, envelope.ReservedTokens);
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
    public void TryRead_BadEnvelope_Gives400(string body, string expected)
    {
        Assert.False(ProxyEnvelope.TryRead(Encoding.UTF8.GetBytes(body), out _, out ApiError? error));

        Assert.Equal(400, error!.StatusCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
