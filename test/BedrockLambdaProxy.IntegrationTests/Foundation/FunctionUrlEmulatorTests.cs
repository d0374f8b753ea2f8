using System.Net;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.LocalHost;

namespace BedrockLambdaProxy.IntegrationTests.Foundation;

/// <summary>The Function URL front and the Runtime API emulator, with the test itself playing the function.</summary>
public sealed class FunctionUrlEmulatorTests : FakeFunctionStack
{
    [Fact]
    public async Task Event_GetWithQueryAndCookies_IsPayloadFormat20()
    {
        using var timeout = new CancellationTokenSource(Guard);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Stack.FunctionUrl, "v1/models?a=1&a=2&b=x"));
        request.Headers.Add("Cookie", "c1=v1; c2=v2");
        request.Headers.Add("X-Custom", "Yes");
        var call = Client.SendAsync(request, timeout.Token);

        var (requestId, headers, json) = await Function.NextAsync(timeout.Token);
        (await Function.RespondAsync(requestId, "{\"statusCode\":204}")).EnsureSuccessStatusCode();
        using var response = await call;

        Assert.True(long.Parse(headers.GetValues("Lambda-Runtime-Deadline-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.StartsWith("arn:aws:lambda:", headers.GetValues("Lambda-Runtime-Invoked-Function-Arn").Single(), StringComparison.Ordinal);
        Assert.StartsWith("Root=1-", headers.GetValues("Lambda-Runtime-Trace-Id").Single(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("$default", root.GetProperty("routeKey").GetString());
        Assert.Equal("/v1/models", root.GetProperty("rawPath").GetString());
        Assert.Equal("a=1&a=2&b=x", root.GetProperty("rawQueryString").GetString());
        Assert.Equal(new[] { "c1=v1", "c2=v2" }, root.GetProperty("cookies").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray());
        Assert.Equal("Yes", root.GetProperty("headers").GetProperty("x-custom").GetString());
        Assert.False(root.GetProperty("headers").TryGetProperty("cookie", out _));
        Assert.Equal("1,2", root.GetProperty("queryStringParameters").GetProperty("a").GetString());
        var context = root.GetProperty("requestContext");
        Assert.Equal("GET", context.GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("/v1/models", context.GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("$default", context.GetProperty("stage").GetString());
        Assert.True(context.GetProperty("timeEpoch").GetInt64() > 0);
        Assert.False(root.TryGetProperty("body", out _));
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Event_BinaryBody_IsBase64Encoded()
    {
        using var timeout = new CancellationTokenSource(Guard);
        using var content = new ByteArrayContent([0, 1, 2, 255]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var call = Client.PostAsync(new Uri(Stack.FunctionUrl, "upload"), content, timeout.Token);

        var (requestId, _, json) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"statusCode\":200,\"body\":\"AAEC/w==\",\"isBase64Encoded\":true}");
        using var response = await call;

        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("AAEC/w==", document.RootElement.GetProperty("body").GetString());
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await response.Content.ReadAsByteArrayAsync(timeout.Token));
    }

    [Fact]
    public async Task Buffered_ShapedResponse_SetsStatusHeadersAndCookies()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "x"), timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"statusCode\":418,\"headers\":{\"content-type\":\"text/plain\",\"x-a\":\"b\"},\"cookies\":[\"s=1; Path=/\"],\"body\":\"teapot\"}");
        using var response = await call;

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("b", response.Headers.GetValues("x-a").Single());
        Assert.Equal("s=1; Path=/", response.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("teapot", await response.Content.ReadAsStringAsync(timeout.Token));
    }

    [Fact]
    public async Task Buffered_PayloadWithoutStatusCode_Returns200WithPayloadAsJson()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "x"), timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        await Function.RespondAsync(requestId, "{\"hello\":\"world\"}");
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"hello\":\"world\"}", await response.Content.ReadAsStringAsync(timeout.Token));
    }

    [Fact]
    public async Task InvocationError_Returns502InternalServerError()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "x"), timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        using var accepted = await Function.FailAsync(requestId, "InvalidOperationException", "boom");
        using var response = await call;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", await response.Content.ReadAsStringAsync(timeout.Token));
    }

    [Fact]
    public async Task Streamed_FirstChunk_ReachesClientBeforeSecondIsWritten()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "chunks"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        using var stream = await Function.StartStreamAsync(requestId, "{\"statusCode\":201,\"headers\":{\"content-type\":\"text/event-stream\"},\"cookies\":[\"k=v\"]}");
        await stream.WriteChunkAsync("first");

        // The function writes nothing more until the client has seen "first": a relay that
        // buffered the body would never get here.
        using var response = await call;
        var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        Assert.Equal("first", await StreamReading.ReadUntilAsync(body, "first", timeout.Token));
        await stream.WriteChunkAsync("second");
        await stream.CompleteAsync();
        var (rest, error) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.Equal((HttpStatusCode)201, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("k=v", response.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("second", rest);
        Assert.Null(error);
        Assert.Equal("HTTP/1.1 202 Accepted", await stream.ReadStatusLineAsync());
    }

    [Fact]
    public async Task Streamed_ErrorTrailers_ClientSeesTruncatedStream()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "crash"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        using var stream = await Function.StartStreamAsync(requestId, "{\"statusCode\":200}");
        await stream.WriteChunkAsync("partial");
        using var response = await call;
        var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await StreamReading.ReadUntilAsync(body, "partial", timeout.Token);
        await stream.FailAsync("Bedrock.StreamFailed", "upstream dropped");
        var (_, error) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Streamed_WorkerDiesMidStream_ClientSeesTruncatedStream()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var call = Client.GetAsync(new Uri(Stack.FunctionUrl, "crash"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (requestId, _, _) = await Function.NextAsync(timeout.Token);
        var stream = await Function.StartStreamAsync(requestId, "{\"statusCode\":200}");
        await stream.WriteChunkAsync("partial");
        using var response = await call;
        var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await StreamReading.ReadUntilAsync(body, "partial", timeout.Token);
        stream.Dispose();
        var (_, error) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.NotNull(error);
    }

    [Fact]
    public async Task Response_UnknownRequestId_Returns400()
    {
        using var response = await Function.RespondAsync("no-such-id", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidRequestID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
