using System.Net;
using System.Text.Json;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>Bedrock's failures before the first byte become honest statuses; retries happen only where safe.</summary>
public sealed class ProxyErrorTests(ProxyStackFixture stack) : IClassFixture<ProxyStackFixture>
{
    private static string Converse(string model) =>
        $$"""{"modelId":"{{model}}","messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Theory]
    [InlineData("validation", 400, "ValidationException", 1)]
    [InlineData("not-found", 404, "ResourceNotFoundException", 1)]
    [InlineData("access-denied", 403, "AccessDeniedException", 1)]
    [InlineData("throttle:99", 429, "ThrottlingException", 4)]
    [InlineData("model-timeout", 504, "ModelTimeoutException", 4)]
    [InlineData("unavailable", 503, "ServiceUnavailableException", 4)]
    [InlineData("not-ready", 503, "ModelNotReadyException", 4)]
    [InlineData("internal", 502, "InternalServerException", 4)]
    public async Task Converse_BedrockFault_MapsToStatusAndRetriesOnlyWhenSafe(string fault, int status, string type, int attempts)
    {
        string model = $"fault.{fault}.amazon.nova-lite-errors-v1:0";
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(attempts, stack.Simulator.TotalRequests - before);
        if (status is 429 or 503)
        {
            Assert.True(response.Headers.RetryAfter is not null, "429 and 503 carry Retry-After");
        }
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("bedrock_error", usage.GetProperty("event_type").GetString());
        Assert.Equal(type, usage.GetProperty("error_type").GetString());
        Assert.Equal(status, usage.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Converse_AccessDenied_SaysTheFunctionRoleLacksPermission()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", Converse("fault.access-denied.amazon.nova-lite-v1:0")));

        string message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("IAM role", message, StringComparison.Ordinal);
        Assert.Contains("bedrock:InvokeModel", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/converse")]
    [InlineData("/model/{0}/converse")]
    public async Task IamDenial_CallerSeesNoRoleOrAccountAndTheLogHasTheWholeMessage(string path)
    {
        string model = $"fault.access-denied-role.amazon.nova-lite-{Guid.NewGuid():N}-v1:0";
        bool native = path.StartsWith("/model/", StringComparison.Ordinal);
        string body = native ? """{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""" : Converse(model);

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Uri.EscapeDataString(model)), body));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(BedrockSimulatorAccount, text, StringComparison.Ordinal);
        Assert.DoesNotContain("assumed-role", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ProxyFunctionRole", text, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: bedrock:InvokeModel", text, StringComparison.Ordinal);
        if (native)
        {
            Assert.Equal("AccessDeniedException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        }

        string logged = await DenialLogLineAsync(model);
        using JsonDocument line = JsonDocument.Parse(logged);
        string full = line.RootElement.GetProperty("bedrock_message").GetString()!;
        Assert.Contains($"arn:aws:sts::{BedrockSimulatorAccount}:assumed-role/", full, StringComparison.Ordinal);
    }

    /// <summary>The account id the simulator's access-denied-role fault names.</summary>
    private const string BedrockSimulatorAccount = "123456789012";

    private async Task<string> DenialLogLineAsync(string model)
    {
        string modelField = $"\"model_id\":\"{model}\"";
        for (int i = 0; i < 200; i++)
        {
            string? found = stack.Stack.Lambda.WorkerLogs.Select(l => l.Text)
                .FirstOrDefault(t => t.Contains("bedrock denied access", StringComparison.Ordinal) && t.Contains(modelField, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no access-denied log line for {model}\n{stack.WorkerLogText()}");
    }

    [Fact]
    public async Task Converse_ThrottledTwiceThenFine_RetriesAndSucceeds()
    {
        const string model = "fault.throttle:2.amazon.nova-lite-retry-v1:0";
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, stack.Simulator.TotalRequests - before);
        Assert.Equal(5, (await stack.UsageLineAsync(model)).GetProperty("input_tokens").GetInt32());
    }

    [Theory]
    [InlineData("/converse", """{"modelId":"amazon.nova-lite-v1:0","messages":""", 400, "not valid JSON")]
    [InlineData("/converse", """{"modelId":"../../etc/passwd","messages":[]}""", 400, "modelId")]
    [InlineData("/converse", """{"modelId":"a?b","messages":[]}""", 400, "'?'")]
    [InlineData("/converse", """{"messages":[]}""", 400, "modelId")]
    [InlineData("/nowhere", "{}", 404, "No route")]
    public async Task BadInput_Gets4xxJsonAndNeverReachesBedrock(string path, string body, int status, string expected)
    {
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, path, body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, stack.Simulator.TotalRequests);
    }

    /// <summary>Issue 13's regression: the proxy's own reading of maxTokens threw, and every surface answered 500.</summary>
    [Theory]
    [InlineData("/invoke", true, "ValidationException")]
    [InlineData("/converse", true, "ValidationException")]
    [InlineData("/model/amazon.nova-lite-many-v1%3A0/converse", false, null)]
    [InlineData("/model/amazon.nova-lite-many-v1%3A0/converse-stream", false, null)]
    public async Task MaxTokensString_Gets400NamingTheFieldNever500(string path, bool envelope, string? bodyType)
    {
        string body = (envelope ? "{\"modelId\":\"amazon.nova-lite-many-v1:0\"," : "{")
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello there\"}]}],\"inferenceConfig\":{\"maxTokens\":\"many\"}}";
        int before = stack.Simulator.TotalRequests;

        foreach (Uri front in new[] { stack.FunctionUrl, stack.ApiGatewayUrl })
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(front, path, body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            JsonElement root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            string message = bodyType is null ? root.GetProperty("message").GetString()! : root.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Equal("\"inferenceConfig.maxTokens\" must be an integer from 1 to 2147483647, not a string.", message);
            Assert.Equal("ValidationException", bodyType is null
                ? response.Headers.GetValues("x-amzn-ErrorType").Single()
                : root.GetProperty("error").GetProperty("type").GetString());
        }
        Assert.Equal(before, stack.Simulator.TotalRequests);
    }

    [Fact]
    public async Task WrongMethod_Gets405WithAllow()
    {
        using HttpResponseMessage response = await stack.Http.GetAsync(new Uri(stack.FunctionUrl, "converse"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task OversizedBody_Gets413()
    {
        string huge = "{\"modelId\":\"amazon.nova-lite-v1:0\",\"pad\":\"" + new string('x', 5 * 1024 * 1024 + 10) + "\"}";

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Simulator_MisSignedRequest_IsRejectedSoTheProxysSignaturesAreReallyChecked()
    {
        static Bedrock.BedrockClient Client(Uri endpoint, string secret) => new(
            new Config.ProxySettings { Region = "us-east-1", BedrockEndpoint = endpoint },
            new SocketsHttpHandler(),
            new Amazon.Runtime.BasicAWSCredentials("AKIDSIMULATOR", secret),
            new Bedrock.BedrockRetryPolicy(1, TimeProvider.System));
        byte[] body = """{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}"""u8.ToArray();
        using var good = Client(stack.Simulator.BaseAddress, stack.Simulator.Options.SecretAccessKey);
        using var bad = Client(stack.Simulator.BaseAddress, "not-the-secret");

        Bedrock.BedrockResponse ok = await good.SendAsync(Bedrock.BedrockOperation.Converse, "amazon.nova-lite-v1:0", body, Bedrock.BedrockRequestHeaders.Empty, default);
        var rejected = await Assert.ThrowsAsync<Bedrock.BedrockException>(
            () => bad.SendAsync(Bedrock.BedrockOperation.Converse, "amazon.nova-lite-v1:0", body, Bedrock.BedrockRequestHeaders.Empty, default));

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal((403, "InvalidSignatureException"), (rejected.StatusCode, rejected.ErrorType));
    }
}
