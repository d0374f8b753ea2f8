using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Tests.Routing;

public sealed class JsonBodyTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"a\":", "not valid JSON (line 1")]
    [InlineData("{\n  \"a\": tru\n}", "line 2")]
    [InlineData("[1,2]", "must be a JSON object, not array")]
    [InlineData("\"text\"", "not string")]
    public void TryParseObject_BadBody_Says400WithWhatIsWrong(string body, string expected)
    {
        bool ok = JsonBody.TryParseObject(Encoding.UTF8.GetBytes(body), out JsonDocument? document, out ApiError? error);

        Assert.False(ok);
        Assert.Null(document);
        Assert.Equal(400, error!.StatusCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseObject_Object_Parses()
    {
        Assert.True(JsonBody.TryParseObject("{\"a\":1}"u8.ToArray(), out JsonDocument? document, out _));
        document!.Dispose();
    }

    [Fact]
    public void TryParseObject_InvalidUtf8_400NamingTheByte()
    {
        byte[] body = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];

        Assert.False(JsonBody.TryParseObject(body, out _, out ApiError? error));

        Assert.Equal("The request body is not valid UTF-8 (byte 7); JSON must be UTF-8 encoded.", error!.Message);
    }

    [Theory]
    [InlineData("""{"max_tokens":1,"max_tokens":100000}""", "max_tokens")]
    [InlineData("""{"inferenceConfig":{"maxTokens":1,"maxTokens":100000}}""", "inferenceConfig.maxTokens")]
    [InlineData("""{"modelId":"a","x":{},"modelId":"b"}""", "modelId")]
    public void TryParseObject_DuplicateKeyWhereTheProxyReads_400NamingIt(string body, string path)
    {
        Assert.False(JsonBody.TryParseObject(Encoding.UTF8.GetBytes(body), out JsonDocument? document, out ApiError? error));

        Assert.Null(document);
        Assert.Equal($"The request body names \"{path}\" twice; send each property once.", error!.Message);
    }

    [Fact]
    public void TryParseObject_DuplicateKeyDeeperDown_LeftToBedrock()
    {
        Assert.True(JsonBody.TryParseObject("""{"messages":[{"role":"user","role":"user"}]}"""u8.ToArray(), out JsonDocument? document, out _));
        document!.Dispose();
    }

    [Theory]
    [InlineData(JsonBody.MaxDepth, true)]
    [InlineData(JsonBody.MaxDepth + 1, false)]
    [InlineData(100_000, false)]
    public void TryParseObject_DeepNesting_RefusedPastTheLimitWithoutCrashing(int depth, bool accepted)
    {
        string body = "{\"a\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        bool ok = JsonBody.TryParseObject(Encoding.UTF8.GetBytes(body), out JsonDocument? document, out ApiError? error);
        document?.Dispose();

        Assert.Equal(accepted, ok);
        Assert.True(accepted || error!.Message.EndsWith($"deeper than {JsonBody.MaxDepth} levels.", StringComparison.Ordinal), error?.Message);
    }
}
