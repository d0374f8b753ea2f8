using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Proxy;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary><c>GET /v1/models</c> and <c>/v1/models/{id}</c> through the real bootstrap, dynalite and both fronts.</summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiModelsTests(OpenAiStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    [Fact]
    public async Task List_CustomerWithAllowList_ListsExactlyItsModelsInOpenAiShape()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync(
            "models-listed", CustomerLimits.None, ["amazon.nova-lite-v1:0", "us.anthropic.claude-3-5-haiku-20241022-v1:0"], Timeout);

        using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/models", key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"object":"list","data":[{"id":"amazon.nova-lite-v1:0","object":"model","created":0,"owned_by":"amazon"},"""
            + """{"id":"us.anthropic.claude-3-5-haiku-20241022-v1:0","object":"model","created":0,"owned_by":"anthropic"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_CustomerWithoutAllowList_ListsTheDefaultModelsThroughApiGateway()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.ApiGatewayUrl, "v1/models", stack.ApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string[] ids = body.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();
        Assert.Contains("amazon.nova-lite-v1:0", ids);
        Assert.Contains("anthropic.claude-3-haiku-20240307-v1:0", ids);
        Assert.All(body.RootElement.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task Retrieve_AllowedModel_Is200AndOtherModelIs404InOpenAiShape()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("models-retrieve", CustomerLimits.None, ["amazon.nova-lite-v1:0"], Timeout);

        using HttpResponseMessage allowed = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/models/amazon.nova-lite-v1:0", key));
        using HttpResponseMessage other = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/models/amazon.nova-pro-v1:0", key));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("""{"id":"amazon.nova-lite-v1:0","object":"model","created":0,"owned_by":"amazon"}""", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await other.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("model", error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task List_BadKey_Is401WithOpenAiErrorShape()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/models", "blp_not_a_real_key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("authentication_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private static HttpRequestMessage Get(Uri baseUri, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
