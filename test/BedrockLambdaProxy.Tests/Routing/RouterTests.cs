using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Tests.Routing;

public sealed class RouterTests
{
    private static readonly RouteHandler Nothing = _ => Task.CompletedTask;

    private static readonly Router Router = new(
    [
        new Route("GET", "/health", ErrorStyle.Proxy, Nothing),
        new Route("POST", "/converse", ErrorStyle.Proxy, Nothing),
        new Route("POST", "/model/{modelId}/converse", ErrorStyle.Aws, Nothing),
        new Route("POST", "/model/{modelId}/converse-stream", ErrorStyle.Aws, Nothing),
    ]);

    [Fact]
    public void Match_ExactPath_FindsRoute()
    {
        RouteMatch match = Router.Match("GET", "/health");

        Assert.Equal("/health", match.Route!.Pattern);
    }

    [Fact]
    public void Match_TrailingSlash_IsIgnored()
    {
        Assert.NotNull(Router.Match("POST", "/converse/").Route);
    }

    [Theory]
    [InlineData("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", "anthropic.claude-3-haiku-20240307-v1:0")]
    [InlineData("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.nova/converse", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.nova")]
    [InlineData("/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.nova/converse", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.nova")]
    public void Match_ModelPath_CapturesUnescapedModelId(string path, string modelId)
    {
        RouteMatch match = Router.Match("POST", path);

        Assert.Equal("/model/{modelId}/converse", match.Route!.Pattern);
        Assert.Equal(modelId, match.Values["modelId"]);
    }

    [Fact]
    public void Match_ModelPathDifferentOperation_DoesNotConfuseSuffixes()
    {
        RouteMatch match = Router.Match("POST", "/model/m%3A0/converse-stream");

        Assert.Equal("/model/{modelId}/converse-stream", match.Route!.Pattern);
        Assert.Equal("m:0", match.Values["modelId"]);
    }

    [Fact]
    public void Match_WrongMethod_ReportsAllowedMethods()
    {
        RouteMatch match = Router.Match("DELETE", "/health");

        Assert.Null(match.Route);
        Assert.True(match.IsMethodNotAllowed);
        Assert.Equal(["GET"], match.AllowedMethods);
    }

    [Theory]
    [InlineData("/nope", "Proxy")]
    [InlineData("/model/x/unknown", "Aws")]
    [InlineData("/v1/unknown", "OpenAi")]
    [InlineData("/v1/messages/batches", "Anthropic")]
    [InlineData("/model//converse", "Aws")]
    public void Match_UnknownPath_IsNotFoundInTheSurfaceStyle(string path, string styleName)
    {
        ErrorStyle style = Enum.Parse<ErrorStyle>(styleName);
        RouteMatch match = Router.Match("POST", path);

        Assert.Null(match.Route);
        Assert.False(match.IsMethodNotAllowed);
        Assert.Equal(style, match.Style);
    }
}
