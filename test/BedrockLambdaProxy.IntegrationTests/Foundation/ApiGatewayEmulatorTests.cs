using System.Net;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Foundation;

/// <summary>The API Gateway REST front, with the test itself playing the function.</summary>
public sealed class ApiGatewayEmulatorTests : FakeFunctionStack
{
    [Fact]
    public async Task Event_PostWithQuery_IsPayloadFormat10()
    {
        using var timeout = new CancellationTokenSource(Guard);
        using var content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Stack.ApiGatewayUrl, "v1/chat/completions?k=1&k=2")) { Content = content };
        request.Headers.Add("X-Custom", ["a", "b"]);
        var call = Client.SendAsync(request, timeout.Token);
        var (requestId, _, json) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"statusCode\":200,\"body\":\"ok\"}");
        using var response = await call;

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("/{proxy+}", root.GetProperty("resource").GetString());
        Assert.Equal("/v1/chat/completions", root.GetProperty("path").GetString());
        Assert.Equal("POST", root.GetProperty("httpMethod").GetString());
        Assert.Equal("v1/chat/completions", root.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal("2", root.GetProperty("queryStringParameters").GetProperty("k").GetString());
        Assert.Equal(2, root.GetProperty("multiValueQueryStringParameters").GetProperty("k").GetArrayLength());
        Assert.Equal("a, b", root.GetProperty("headers").GetProperty("X-Custom").GetString());
        Assert.Equal("a, b", root.GetProperty("multiValueHeaders").GetProperty("X-Custom")[0].GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stageVariables").ValueKind);
        var context = root.GetProperty("requestContext");
        Assert.Equal("prod", context.GetProperty("stage").GetString());
        Assert.Equal("/prod/v1/chat/completions", context.GetProperty("path").GetString());
        Assert.Equal("/{proxy+}", context.GetProperty("resourcePath").GetString());
        Assert.Equal("127.0.0.1", context.GetProperty("identity").GetProperty("sourceIp").GetString());
        Assert.Equal("{\"a\":1}", root.GetProperty("body").GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(timeout.Token));
    }

    [Fact]
    public async Task Event_StreamRoute_HasStreamResourceAndNoQueryIsNull()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.ApiGatewayUrl, "stream/v1/x"), timeout.Token);
        var (requestId, _, json) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"statusCode\":200}");
        using var response = await call;

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("/stream/{proxy+}", root.GetProperty("resource").GetString());
        Assert.Equal("/stream/v1/x", root.GetProperty("path").GetString());
        Assert.Equal("v1/x", root.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("queryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("body").ValueKind);
    }

    [Fact]
    public async Task Buffered_Base64Body_IsDecodedWithMultiValueHeaders()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.ApiGatewayUrl, "bin"), timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"statusCode\":200,\"multiValueHeaders\":{\"x-m\":[\"1\",\"2\"]},\"body\":\"AAEC/w==\",\"isBase64Encoded\":true}");
        using var response = await call;

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await response.Content.ReadAsByteArrayAsync(timeout.Token));
        Assert.Equal(["1", "2"], response.Headers.GetValues("x-m"));
    }

    [Fact]
    public async Task Buffered_PayloadWithoutStatusCode_Returns502()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.ApiGatewayUrl, "x"), timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"hello\":\"world\"}");
        using var response = await call;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("{\"message\":\"Internal server error\"}", await response.Content.ReadAsStringAsync(timeout.Token));
    }

    [Fact]
    public async Task UnknownStage_Returns403WithoutInvoking()
    {
        using var response = await Client.GetAsync(new Uri(new Uri(Stack.ApiGatewayUrl.GetLeftPart(UriPartial.Authority)), "/dev/x"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("{\"message\":\"Forbidden\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StreamRoute_ErrorTrailers_ClientSeesTruncatedStream()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.ApiGatewayUrl, "stream/x"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        using var stream = await Function.StartStreamAsync(requestId, "{\"statusCode\":200,\"headers\":{\"content-type\":\"text/event-stream\"}}");
        await stream.WriteChunkAsync("data: 1\n\n");
        using var response = await call;
        var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await StreamReading.ReadUntilAsync(body, "data: 1", timeout.Token);
        await stream.FailAsync("Bedrock.ThrottlingException", "slow down");
        var (_, error) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task IntegrationTimeout_BufferedRouteGives504_StreamRouteIsNotBound()
    {
        // A separate stack with a 1 s integration timeout; the function's own timeout stays 60 s.
        await using var stack = await LocalStack.StartAsync(
            new LocalStackOptions { SpawnWorkers = false, WorkerCount = 1, ApiGatewayIntegrationTimeout = TimeSpan.FromSeconds(1) },
            CancellationToken.None);
        using var function = new FakeFunction(stack.RuntimeApiAddresses[0]);
        using var timeout = new CancellationTokenSource(Guard);

        var buffered = Client.GetAsync(new Uri(stack.ApiGatewayUrl, "slow"), timeout.Token);
        var (bufferedId, _, _) = await function.NextAsync(timeout.Token);
        using var bufferedResponse = await buffered;
        await function.RespondAsync(bufferedId, "{\"statusCode\":200}");

        var streamed = Client.GetAsync(new Uri(stack.ApiGatewayUrl, "stream/slow"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (streamedId, _, _) = await function.NextAsync(timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        using var stream = await function.StartStreamAsync(streamedId, "{\"statusCode\":200}");
        await stream.WriteChunkAsync("late");
        await stream.CompleteAsync();
        using var streamedResponse = await streamed;

        Assert.Equal(HttpStatusCode.GatewayTimeout, bufferedResponse.StatusCode);
        Assert.Equal("{\"message\":\"Endpoint request timed out\"}", await bufferedResponse.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(HttpStatusCode.OK, streamedResponse.StatusCode);
        Assert.Equal("late", await streamedResponse.Content.ReadAsStringAsync(timeout.Token));
    }
}
