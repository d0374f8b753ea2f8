using System.Buffers;
using System.Text;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The JSON prelude of a streamed http-integration-response, byte for byte.</summary>
public sealed class StreamingPreludeTests
{
    [Fact]
    public void Write_RepeatedHeaderName_JoinsValuesUnderFirstSpelling()
    {
        var prelude = new HttpResponsePrelude(
            200,
            [new("Vary", "Origin"), new("Content-Type", "application/json"), new("vary", "Accept-Encoding")],
            []);

        Assert.Equal(
            "{\"statusCode\":200,\"headers\":{\"Vary\":\"Origin, Accept-Encoding\",\"Content-Type\":\"application/json\"},\"cookies\":[]}",
            WriteJson(prelude));
    }

    [Fact]
    public void Write_SetCookieHeaders_MovesThemToCookiesAfterExplicitCookies()
    {
        var prelude = new HttpResponsePrelude(
            401,
            [new("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT"), new("set-cookie", "b=2")],
            ["c=3"]);

        Assert.Equal(
            "{\"statusCode\":401,\"headers\":{},\"cookies\":[\"c=3\",\"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT\",\"b=2\"]}",
            WriteJson(prelude));
    }

    [Fact]
    public void Write_Always_EndsWithEightNulBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();

        StreamingPrelude.Write(new HttpResponsePrelude(204, [], []), buffer);

        byte[] written = buffer.WrittenSpan.ToArray();
        Assert.Equal("{\"statusCode\":204,\"headers\":{},\"cookies\":[]}"u8.ToArray(), written[..^8]);
        Assert.Equal(new byte[8], written[^8..]);
    }

    private static string WriteJson(HttpResponsePrelude prelude)
    {
        var buffer = new ArrayBufferWriter<byte>();
        StreamingPrelude.Write(prelude, buffer);
        Assert.Equal(new byte[StreamingPrelude.SeparatorLength], buffer.WrittenSpan[^8..].ToArray());
        return Encoding.UTF8.GetString(buffer.WrittenSpan[..^8]);
    }
}
