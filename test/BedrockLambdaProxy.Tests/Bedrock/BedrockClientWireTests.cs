using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockClientWireTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "session-token-example";
    private const string ProfileArn =
        "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0";

    [Fact]
    public async Task SendAsync_ArnModelId_SendsOneEscapedSegmentSignedForBedrock()
    {
        byte[] answer = """{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"usage":{"inputTokens":3,"outputTokens":1}}"""u8.ToArray();
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Response(200, "OK", answer,
            "Content-Type: application/json", "x-amzn-RequestId: req-1", "Connection: keep-alive"));
        using BedrockClient client = NewClient(server.Endpoint);
        byte[] body = """{"messages":[{"role":"user","content":[{"text":"hello"}]}]}"""u8.ToArray();
        var headers = new BedrockRequestHeaders { Trace = "ENABLED", GuardrailIdentifier = "gr-1", GuardrailVersion = "DRAFT" };

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, ProfileArn, body, headers, Timeout());

        (string head, byte[] sent) = Assert.Single(server.Requests);
        string requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.Equal(
            "POST /model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/converse HTTP/1.1",
            requestLine);
        Assert.Equal(body, sent);
        string authorization = Header(head, "Authorization");
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/", authorization, StringComparison.Ordinal);
        Assert.Contains("/us-west-2/bedrock/aws4_request", authorization, StringComparison.Ordinal);
        string[] signed = SignedHeaders(authorization);
        Assert.Contains("host", signed);
        Assert.Contains("x-amz-date", signed);
        Assert.Contains("x-amz-content-sha256", signed);
        Assert.Contains("x-amz-security-token", signed);
        Assert.Contains("x-amzn-bedrock-guardrailidentifier", signed);
        Assert.Equal(SessionToken, Header(head, "X-Amz-Security-Token"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), Header(head, "x-amz-content-sha256"));
        Assert.Equal(1, CountHeader(head, "x-amz-content-sha256"));
        Assert.Equal("application/json", Header(head, "Content-Type"));
        Assert.Equal("ENABLED", Header(head, "X-Amzn-Bedrock-Trace"));
        Assert.Equal("DRAFT", Header(head, "X-Amzn-Bedrock-GuardrailVersion"));
        (string expected, string actual) = SigV4TestVerifier.Signatures(head, sent, SecretKey);
        Assert.Equal(expected, actual);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(answer, response.Body.ToArray());
        Assert.Equal("req-1", response.Headers.Get("X-AMZN-REQUESTID"));
        Assert.Equal("application/json", response.ContentType);
        Assert.Null(response.Headers.Get("Connection"));
        Assert.Null(response.Headers.Get("Content-Length"));
    }

    [Fact]
    public async Task SendAsync_ThrottledTwiceOnTheWire_ResendsBodyAndSignsEachAttempt()
    {
        string throttle = """{"message":"Too many requests, please wait before trying again."}""";
        await using var server = new LoopbackHttpServer(
            LoopbackHttpServer.Response(429, "Too Many Requests", throttle, "x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
            LoopbackHttpServer.Response(503, "Service Unavailable", """{"message":"busy"}""", "x-amzn-ErrorType: ServiceUnavailableException"),
            LoopbackHttpServer.Response(200, "OK", """{"output":{}}""", "Content-Type: application/json"));
        using BedrockClient client = NewClient(server.Endpoint, maxAttempts: 3);
        byte[] body = """{"messages":[{"role":"user","content":[{"text":"again"}]}]}"""u8.ToArray();

        BedrockResponse response = await client.SendAsync(
            BedrockOperation.Converse, "amazon.nova-lite-v1:0", body, BedrockRequestHeaders.Empty, Timeout());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, server.Requests.Count);
        foreach ((string head, byte[] sent) in server.Requests)
        {
            Assert.Equal(body, sent);
            (string expected, string actual) = SigV4TestVerifier.Signatures(head, sent, SecretKey);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void SigV4TestVerifier_PathWithEscapes_EncodesPercentAgain()
    {
        Assert.Equal("/model/a.b-v1%253A0%252Fx/invoke", SigV4TestVerifier.EncodePath("/model/a.b-v1%3A0%2Fx/invoke"));
    }

    [Fact]
    public async Task SendAsync_InvokeModel_PassesTokenCountHeadersOn()
    {
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Response(200, "OK", """{"content":[]}""",
            "Content-Type: application/json",
            "X-Amzn-Bedrock-Input-Token-Count: 12",
            "X-Amzn-Bedrock-Output-Token-Count: 34",
            "X-Amzn-Bedrock-Invocation-Latency: 567",
            "X-Amzn-Bedrock-PerformanceConfig-Latency: standard",
            "Server: Server"));
        using BedrockClient client = NewClient(server.Endpoint);
        var headers = new BedrockRequestHeaders { Accept = "application/json", ContentType = "application/json" };

        BedrockResponse response = await client.SendAsync(
            BedrockOperation.InvokeModel, "anthropic.claude-3-haiku-20240307-v1:0", "{}"u8.ToArray(), headers, Timeout());

        (string head, _) = Assert.Single(server.Requests);
        Assert.StartsWith("POST /model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Equal("application/json", Header(head, "Accept"));
        // Server and Content-Length stay behind; Bedrock's own headers and Content-Type pass on.
        Assert.Equal(
            ["Content-Type", "X-Amzn-Bedrock-Input-Token-Count", "X-Amzn-Bedrock-Invocation-Latency",
             "X-Amzn-Bedrock-Output-Token-Count", "X-Amzn-Bedrock-PerformanceConfig-Latency"],
            response.Headers.All.Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.Equal("34", response.Headers.Get(BedrockResponseHeaders.OutputTokenCount));
    }

    [Fact]
    public async Task OpenStreamAsync_ConverseStream_ReturnsFramesAsSent()
    {
        byte[] start = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
        byte[] stop = EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}""");
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Response(200, "OK", [.. start, .. stop],
            "Content-Type: application/vnd.amazon.eventstream", "x-amzn-RequestId: req-2"));
        using BedrockClient client = NewClient(server.Endpoint);

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, "us.amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, Timeout());

        Assert.StartsWith("POST /model/us.amazon.nova-lite-v1%3A0/converse-stream HTTP/1.1", server.Requests[0].Head, StringComparison.Ordinal);
        Assert.Equal("application/vnd.amazon.eventstream", stream.Headers.Get("content-type"));
        Assert.Equal("req-2", stream.Headers.Get(BedrockResponseHeaders.RequestId));
        Assert.Equal(start, (await stream.ReadNextAsync(Timeout()))!.RawFrame.ToArray());
        Assert.Equal(stop, (await stream.ReadNextAsync(Timeout()))!.RawFrame.ToArray());
        Assert.Null(await stream.ReadNextAsync(Timeout()));
    }

    [Fact]
    public async Task SendAsync_InvalidModelId_ThrowsBeforeSending()
    {
        await using var server = new LoopbackHttpServer();
        using BedrockClient client = NewClient(server.Endpoint);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(
            BedrockOperation.Converse, "../../x", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, Timeout()));
        Assert.Empty(server.Requests);
    }

    internal static BedrockClient NewClient(Uri endpoint, int maxAttempts = 1) =>
        new(
            new ProxySettings { Region = "us-west-2", BedrockEndpoint = endpoint },
            new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false },
            new SessionAWSCredentials(AccessKey, SecretKey, SessionToken),
            new BedrockRetryPolicy(maxAttempts, TimeProvider.System, () => 0, (_, _) => Task.CompletedTask));

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static string Header(string head, string name) =>
        head.Split("\r\n").Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim()).Single();

    private static int CountHeader(string head, string name) =>
        head.Split("\r\n").Count(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    private static string[] SignedHeaders(string authorization)
    {
        int start = authorization.IndexOf("SignedHeaders=", StringComparison.Ordinal) + "SignedHeaders=".Length;
        int end = authorization.IndexOf(',', start);
        return authorization[start..end].Split(';');
    }
}
