using System.Text;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class DeltaTextTests
{
    [Theory]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"Hello world"},"p":"abcdef"}""", "Hello world")]
    [InlineData("""{"contentBlockIndex":12,"delta":{"text":""}}""", "")]
    [InlineData("""{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"Hi, wörld"}}""", "Hi, wörld")]
    public void TryFind_BedrockTextDelta_ReturnsTheTextBytes(string json, string expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);

        Assert.True(DeltaText.TryFind(bytes, out Range text));
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes.AsSpan()[text]));
    }

    [Theory]
    // Escaped text: its bytes are not the text, the JSON reader must unescape it.
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"line\nnext"}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"say \"hi\""}}""")]
    // Other deltas and other orders.
    [InlineData("""{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"text\":\"x\"}"}}}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hmm"}}}""")]
    [InlineData("""{"delta":{"text":"x"},"contentBlockIndex":0}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"x","citation":{}}}""")]
    [InlineData("""{"contentBlockIndex":,"delta":{"text":"x"}}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}""")]
    // Cut short.
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"unterminated""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"x""")]
    [InlineData("")]
    public void TryFind_AnythingElse_ReturnsFalse(string json)
    {
        Assert.False(DeltaText.TryFind(Encoding.UTF8.GetBytes(json), out _));
    }

    [Theory]
    [InlineData("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\nb\"}}")]
    [InlineData("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"tab\there\"}}")]
    [InlineData("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\u0001\"}}")]
    public void TryFind_RawControlCharacterInText_ReturnsFalse(string json)
    {
        // Not valid JSON, so Bedrock never sends it; a found text must be copyable into a JSON string as it is.
        Assert.False(DeltaText.TryFind(Encoding.UTF8.GetBytes(json), out _));
    }
}
