using System.Text;
using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Usage;

public sealed class TokenEstimateTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("Hello", 2)]            // 5 letters: ceil(5/4)
    [InlineData("Hi there", 3)]         // 1 + 2
    [InlineData("Hello, world!", 6)]    // 2 + "," + 2 + "!"
    [InlineData("   \n\t ", 0)]
    [InlineData("日本語", 3)]            // one per non-ASCII character
    [InlineData("naïve", 3)]            // "na" + "ï" + "ve"
    public void FromText_Rule_CountsRunsPunctuationAndCharacters(string text, long expected) =>
        Assert.Equal(expected, TokenEstimate.FromText(text));

    [Fact]
    public void Counter_WordSplitAcrossPieces_CountsAsOneRun()
    {
        var counter = new TextTokenCounter();
        counter.Add("Hel"u8);
        counter.Add("lo wor"u8);
        counter.Add("ld"u8);
        Assert.Equal(TokenEstimate.FromText("Hello world"), counter.Tokens);
        Assert.Equal(4, counter.Tokens);
    }

    [Fact]
    public void Counter_MultiByteCharacterSplitAcrossPieces_CountsOnce()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("語");
        var counter = new TextTokenCounter();
        counter.Add(bytes.AsSpan(0, 1));
        counter.Add(bytes.AsSpan(1));
        Assert.Equal(1, counter.Tokens);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Counter_RandomTextInRandomPieces_MatchesTheByteAtATimeRule(int seed, bool wide)
    {
        // Long runs, runs across the 64-byte blocks and the pieces, punctuation, whitespace and
        // UTF-8 of every length: the vectorised count must equal the rule applied byte by byte.
        var random = new Random(seed);
        string[] parts = ["a", "Z", "7", "word", "Echoing", "supercalifragilisticexpialidocious", new string('x', 130), " ", "\n", ",", "{", "~", "\u007f", "é", "語", "😀", "\t"];
        var text = new StringBuilder();
        while (text.Length < 20_000)
        {
            text.Append(parts[random.Next(parts.Length)]);
        }
        byte[] utf8 = Encoding.UTF8.GetBytes(text.ToString());
        utf8[random.Next(utf8.Length)] = 0x80; // a stray continuation byte
        utf8[random.Next(utf8.Length)] = 0xFF;

        var scalar = new TextTokenCounter();
        scalar.AddScalar(utf8);
        var pieces = new TextTokenCounter();
        for (int at = 0; at < utf8.Length;)
        {
            int length = Math.Min(random.Next(0, 300), utf8.Length - at);
            pieces.Add(utf8.AsSpan(at, length), wide);
            at += length;
        }
        var whole = new TextTokenCounter();
        whole.Add(utf8, wide);

        Assert.True(scalar.Tokens > 1000);
        Assert.Equal(scalar.Tokens, whole.Tokens);
        Assert.Equal(scalar.Tokens, pieces.Tokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Counter_EveryByteValue_MatchesTheByteAtATimeRule(bool wide)
    {
        // Each byte value next to every class of neighbour, so every edge of the vectorised ranges
        // (letters either case, digits, visible ASCII, UTF-8 lead and continuation bytes) is crossed.
        var random = new Random(20261205);
        var bytes = new byte[256 * 8];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = i % 2 == 0 ? (byte)(i / 8) : (byte)random.Next(256);
        }
        var scalar = new TextTokenCounter();
        scalar.AddScalar(bytes);
        var whole = new TextTokenCounter();
        whole.Add(bytes, wide);
        Assert.Equal(scalar.Tokens, whole.Tokens);
        for (int value = 0; value < 256; value++)
        {
            var one = new TextTokenCounter();
            var reference = new TextTokenCounter();
            byte[] block = Enumerable.Repeat((byte)value, 64).ToArray();
            one.Add(block, wide);
            reference.AddScalar(block);
            Assert.Equal(reference.Tokens, one.Tokens);
        }
    }

    [Fact]
    public void FromRequestBody_Converse_CountsStringValuesNotKeys()
    {
        byte[] body = """{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}"""u8.ToArray();
        // "user" 1 + "Hello" 2 + "there" 2 + overhead 3
        Assert.Equal(8, TokenEstimate.FromRequestBody(body));
    }

    [Fact]
    public void FromRequestBody_EscapedString_CountsUnescapedText()
    {
        byte[] body = """{"prompt":"a\u00e9b"}"""u8.ToArray();
        Assert.Equal(TokenEstimate.RequestOverhead + TokenEstimate.FromText("aéb"), TokenEstimate.FromRequestBody(body));
    }

    [Fact]
    public void FromRequestBody_Base64Image_CountsMediaTokensNotCharacters()
    {
        string image = Convert.ToBase64String(new byte[30_000]);
        byte[] body = Encoding.UTF8.GetBytes(
            """{"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":""" + "\"" + image + "\"" + """}}}]}]}""");
        // "user" 1 + "png" 1 + one image + overhead
        Assert.Equal(2 + TokenEstimate.MediaTokens + TokenEstimate.RequestOverhead, TokenEstimate.FromRequestBody(body));
    }

    [Fact]
    public void FromRequestBody_NotJson_CountsRawText()
    {
        Assert.Equal(TokenEstimate.RequestOverhead + 3, TokenEstimate.FromRequestBody("Hi there"u8));
    }

    [Fact]
    public void FromRequestBody_Empty_IsOverheadOnly() =>
        Assert.Equal(TokenEstimate.RequestOverhead, TokenEstimate.FromRequestBody(default));
}
