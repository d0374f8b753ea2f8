using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>The error document and the header-safe error type.</summary>
public sealed class RuntimeErrorDocumentTests
{
    [Fact]
    public void ToJson_MessageWithQuotesAndNewline_IsEscapedJson()
    {
        byte[] json = RuntimeErrorDocument.ToJson("Bad", "say \"hi\"\nbye");

        Assert.Equal("{\"errorMessage\":\"say \\u0022hi\\u0022\\nbye\",\"errorType\":\"Bad\",\"stackTrace\":[]}", Encoding.UTF8.GetString(json));
        using JsonDocument parsed = JsonDocument.Parse(json);
        Assert.Equal("say \"hi\"\nbye", parsed.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public void ToHeaderValue_CrLfAndSpaces_BecomeUnderscores()
    {
        Assert.Equal("Evil__X-Injected:_1", RuntimeErrorDocument.ToHeaderValue("Evil\r\nX-Injected: 1"));
    }

    [Fact]
    public void ToHeaderValue_PlainType_IsUnchanged()
    {
        Assert.Equal("Runtime.NoResponse", RuntimeErrorDocument.ToHeaderValue("Runtime.NoResponse"));
    }

    [Fact]
    public void ToHeaderValue_Empty_IsUnhandled()
    {
        Assert.Equal("Unhandled", RuntimeErrorDocument.ToHeaderValue(""));
    }
}
