using System.Text;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Tests.Routing;

public sealed class ErrorResponsesTests
{
    private static readonly ApiError Throttled = new(429, "ThrottlingException", "Too many requests.") { RetryAfterSeconds = 3 };

    [Fact]
    public void Render_ProxyStyle_NestsTypeAndMessage()
    {
        ProxyResponse response = ErrorResponses.Render(Throttled, ErrorStyle.Proxy);

        Assert.Equal(429, response.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("retry-after", "3"), response.Headers);
        Assert.Equal("""{"error":{"type":"ThrottlingException","message":"Too many requests."}}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public void Render_AwsStyle_SetsErrorTypeHeaderAndMessageBody()
    {
        ProxyResponse response = ErrorResponses.Render(Throttled, ErrorStyle.Aws);

        Assert.Contains(new KeyValuePair<string, string>("x-amzn-ErrorType", "ThrottlingException"), response.Headers);
        Assert.Equal("""{"message":"Too many requests."}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public void Render_OpenAiStyle_UsesOpenAiErrorObject()
    {
        ProxyResponse response = ErrorResponses.Render(Throttled, ErrorStyle.OpenAi);

        Assert.Equal(
            """{"error":{"message":"Too many requests.","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}""",
            Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public void Render_OpenAiStyleWithParamAndCode_WritesBoth()
    {
        ApiError error = ApiError.BadRequest("n must be 1.") with { Param = "n", Code = "unsupported_parameter" };

        ProxyResponse response = ErrorResponses.Render(error, ErrorStyle.OpenAi);

        Assert.Equal(
            """{"error":{"message":"n must be 1.","type":"invalid_request_error","param":"n","code":"unsupported_parameter"}}""",
            Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public void Render_ExtraHeaders_AreKept()
    {
        var error = new ApiError(401, "UnauthorizedException", "Missing key.") { ExtraHeaders = [new("www-authenticate", "Bearer")] };

        ProxyResponse response = ErrorResponses.Render(error, ErrorStyle.Proxy);

        Assert.Contains(new KeyValuePair<string, string>("www-authenticate", "Bearer"), response.Headers);
    }

    [Fact]
    public void Render_RetryAfterAlsoInExtraHeaders_SendsItOnce()
    {
        ApiError error = Throttled with { ExtraHeaders = [new("Retry-After", "7"), new("x-ratelimit-limit-requests", "2")] };

        ProxyResponse response = ErrorResponses.Render(error, ErrorStyle.Aws);

        Assert.Equal(["7"], response.Headers.Where(h => h.Key.Equals("retry-after", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
    }
}
