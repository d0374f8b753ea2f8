using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Failover;
using BedrockLambdaProxy.Tests.Metrics;

namespace BedrockLambdaProxy.IntegrationTests.Metrics;

/// <summary>A real worker's stdout carries one valid EMF line per request, with the numbers an operator alarms on.</summary>
[Collection(TwoRegionCollection.Name)]
public sealed class MetricsLineTests(TwoRegionStackFixture stack)
{
    private const string MetricsMessage = "request metrics";
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static string Converse(string model, bool stream = false) =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Fact]
    public async Task StreamedAnswer_AfterFailover_OneValidLineWithTokensFirstTokenAndRegion()
    {
        const string model = "amazon.nova-lite-emf-stream-v1:0";
        stack.East.Options.InstanceFault.Set("unavailable");
        string requestId;
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model, stream: true)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsStringAsync();
            requestId = RequestId(response);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }

        JsonElement line = await MetricsLineAsync(requestId);

        Assert.Equal("BedrockLambdaProxy", Directive(line).GetProperty("Namespace").GetString());
        Assert.Equal("""[["CustomerId","ModelId"],["ModelId"],["BedrockRegion"],[]]""", Directive(line).GetProperty("Dimensions").GetRawText());
        Assert.Equal(stack.CustomerId, line.GetProperty("CustomerId").GetString());
        Assert.Equal(model, line.GetProperty("ModelId").GetString());
        Assert.Equal("us-west-2", line.GetProperty("BedrockRegion").GetString());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(1, line.GetProperty("BedrockFailovers").GetInt32());
        Assert.Equal(0, line.GetProperty("BedrockErrors").GetInt32());
        Assert.True(line.GetProperty("InputTokens").GetInt32() > 0);
        Assert.True(line.GetProperty("OutputTokens").GetInt32() > 0);
        double ttft = line.GetProperty("TimeToFirstToken").GetDouble();
        Assert.InRange(ttft, 0.1, line.GetProperty("Latency").GetDouble());
    }

    [Fact]
    public async Task CustomerOverItsLimit_CountedAsCustomerThrottleNotBedrock()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync(
            "emf-limited", new CustomerLimits(RequestsPerMinute: 1, TokensPerMinute: null, TokensPerDay: null, MonthlyTokenQuota: null), [], Timeout);
        using (HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using HttpResponseMessage second = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));

        Assert.Equal(429, (int)second.StatusCode);
        JsonElement line = await MetricsLineAsync(RequestId(second));
        Assert.Equal("emf-limited", line.GetProperty("CustomerId").GetString());
        Assert.Equal(1, line.GetProperty("CustomerThrottles").GetInt32());
        Assert.Equal(0, line.GetProperty("BedrockThrottles").GetInt32());
        Assert.Equal(1, line.GetProperty("ClientErrors").GetInt32());
        Assert.False(line.TryGetProperty("BedrockRegion", out _));
    }

    [Fact]
    public async Task BedrockThrottlesInEveryRegion_CountedAsBedrockThrottleAndError()
    {
        stack.East.Options.InstanceFault.Set("throttle:1000000");
        stack.West.Options.InstanceFault.Set("throttle:1000000");
        string requestId;
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(
                stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-emf-throttled-v1:0")));
            Assert.Equal(429, (int)response.StatusCode);
            requestId = RequestId(response);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
            stack.West.Options.InstanceFault.Set(null);
        }

        JsonElement line = await MetricsLineAsync(requestId);
        Assert.Equal(1, line.GetProperty("BedrockThrottles").GetInt32());
        Assert.Equal(1, line.GetProperty("BedrockErrors").GetInt32());
        Assert.Equal(0, line.GetProperty("CustomerThrottles").GetInt32());
        Assert.Equal(0, line.GetProperty("ClientErrors").GetInt32());
    }

    [Fact]
    public async Task UnknownKey_ServiceWideLineOnly()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), apiKey: "not-a-key"));

        Assert.Equal(401, (int)response.StatusCode);
        JsonElement line = await MetricsLineAsync(RequestId(response));
        Assert.Equal("[[]]", Directive(line).GetProperty("Dimensions").GetRawText());
        Assert.Equal(1, line.GetProperty("ClientErrors").GetInt32());
        Assert.DoesNotContain("not-a-key", line.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSuchRoute_CountedAsClientErrorWithTheServiceWideSetOnly()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/no/such/route", "{}"));

        Assert.Equal(404, (int)response.StatusCode);
        JsonElement line = await MetricsLineAsync(RequestId(response));
        Assert.Equal("[[]]", Directive(line).GetProperty("Dimensions").GetRawText());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(1, line.GetProperty("ClientErrors").GetInt32());
        Assert.Equal(404, line.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task FiftyRandomModelIds_RefusedOrUnknownToBedrock_AtMostOneModelDimensionValue()
    {
        (string allowListed, _) = await stack.Stack.AddCustomerAsync(
            "emf-allow-list", new CustomerLimits(RequestsPerMinute: null, TokensPerMinute: null, TokensPerDay: null, MonthlyTokenQuota: null),
            ["amazon.nova-lite-v1:0"], Timeout);
        var random = new Random(21);
        var requestIds = new List<string>();
        var invented = new List<string>();
        for (int i = 0; i < 50; i++)
        {
            string id = $"x{random.Next():x8}.made-up-{i}-v1:0";
            invented.Add(id);
            // Every way a customer's invented model id ends without Bedrock serving it.
            (string model, string? key) = (i % 5) switch
            {
                0 => ($"fault.not-found.{id}", null),    // Bedrock: 404 ResourceNotFoundException
                1 => ($"fault.validation.{id}", null),   // Bedrock: 400 ValidationException
                2 => (id + "!", null),                   // the proxy: not a valid model id
                3 => (id, allowListed),                  // admission: not on the customer's allow-list (403)
                _ => (id, "bplx_not-a-key"),             // authentication: 401
            };
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model), key));
            Assert.InRange((int)response.StatusCode, 400, 499);
            requestIds.Add(RequestId(response));
        }

        var models = new HashSet<string>(StringComparer.Ordinal);
        foreach (string requestId in requestIds)
        {
            string text = await stack.LogLineAsync(MetricsMessage, requestId);
            Assert.Empty(EmfValidator.Violations(text));
            Assert.DoesNotContain(invented, id => text.Contains(id, StringComparison.Ordinal));
            using JsonDocument line = JsonDocument.Parse(text);
            if (line.RootElement.TryGetProperty("ModelId", out JsonElement model))
            {
                models.Add(model.GetString()!);
            }
        }
        Assert.Equal(["(unserved)"], models);
    }

    [Fact]
    public async Task ServedModel_IsItsOwnDimensionValue()
    {
        const string model = "amazon.nova-lite-emf-served-v1:0";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        JsonElement line = await MetricsLineAsync(RequestId(response));
        Assert.Equal(model, line.GetProperty("ModelId").GetString());
        Assert.Equal(stack.CustomerId, line.GetProperty("CustomerId").GetString());
    }

    private async Task<JsonElement> MetricsLineAsync(string requestId)
    {
        string text = await stack.LogLineAsync(MetricsMessage, requestId);
        Assert.Empty(EmfValidator.Violations(text));
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static JsonElement Directive(JsonElement line) => line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

    private static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();
}
