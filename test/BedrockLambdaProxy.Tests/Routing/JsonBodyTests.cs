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
}
