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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IndexOfStringEnd_EveryLengthAndPosition_FindsTheFirstQuoteBackslashOrControlCharacter(bool wide)
    {
        // Lengths around the 16- and 32-byte blocks and their overlapping last block; one or two stops at every position.
        var random = new Random(20261205);
        byte[] stops = [(byte)'"', (byte)'\\', 0x00, 0x0A, 0x1F];
        byte[] near = [0x20, (byte)'!', (byte)'#', (byte)'[', (byte)']', 0x7F, 0x80, 0xC3, 0xFF];
        for (int length = 0; length <= 70; length++)
        {
            for (int first = -1; first < length; first++)
            {
                var bytes = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    bytes[i] = near[random.Next(near.Length)];
                }
                if (first >= 0)
                {
                    bytes[first] = stops[random.Next(stops.Length)];
                    int second = random.Next(first, length);
                    bytes[second] = stops[random.Next(stops.Length)];
                }
                Assert.Equal(first, DeltaText.IndexOfStringEnd(bytes, wide));
            }
        }
    }

    [Fact]
    public void TryFind_LongText_StopsAtAnEscapeOrControlCharacterAnywhere()
    {
        string text = new('x', 1000);
        byte[] whole = Encoding.UTF8.GetBytes($$"""{"contentBlockIndex":0,"delta":{"text":"{{text}}"},"p":"ab"}""");
        Assert.True(DeltaText.TryFind(whole, out Range found));
        Assert.Equal(text, Encoding.UTF8.GetString(whole.AsSpan()[found]));
        foreach (int at in new[] { 0, 15, 16, 17, 500, 983, 984, 999 })
        {
            const string Opening = "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"";
            byte[] escaped = Encoding.UTF8.GetBytes(Opening + text[..at] + "\\n" + text[(at + 1)..] + "\"}}");
            byte[] raw = Encoding.UTF8.GetBytes(Opening + text[..at] + "\t" + text[(at + 1)..] + "\"}}");
            Assert.False(DeltaText.TryFind(escaped, out _));
            Assert.False(DeltaText.TryFind(raw, out _));
        }
    }
}
