using System.Globalization;
using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>Before the first byte, a failing first region hands the request to the next one; the usage record says which answered.</summary>
[Collection(TwoRegionCollection.Name)]
public sealed class RegionFailoverTests(TwoRegionStackFixture stack)
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    internal static string Converse(string model, bool stream = false) =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Theory]
    [InlineData("throttle:1000000", "throttled")]
    [InlineData("unavailable", "unavailable")]
    [InlineData("internal", "internal")]
    [InlineData("not-ready", "notready")]
    public async Task Converse_FirstRegionFails_AnswerComesFromSecondAndUsageNamesIt(string fault, string tag)
    {
        string model = $"amazon.nova-lite-fo-{tag}-v1:0";
        (int east, int west) = (stack.East.TotalRequests, stack.West.TotalRequests);
        stack.East.Options.InstanceFault.Set(fault);
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

            await AssertStatusAsync(200, response);
            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(body.RootElement.GetProperty("output").GetProperty("message").TryGetProperty("content", out _));
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }
        Assert.Equal(1, stack.East.TotalRequests - east);
        Assert.Equal(1, stack.West.TotalRequests - west);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-west-2", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal(2, usage.GetProperty("bedrock_attempts").GetInt32());
        Assert.Equal(5, usage.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task ConverseStream_FirstRegionThrottles_StreamComesFromSecond()
    {
        const string model = "amazon.nova-lite-fo-stream-v1:0";
        stack.East.Options.InstanceFault.Set("throttle:1000000");
        string text;
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(
                stack.Post(stack.FunctionUrl, "/converse", Converse(model, stream: true)), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }

        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-west-2", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal("bedrock_stream", usage.GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task ConverseStream_FirstRegionHangs_GivenUpAtTheStartLimitAndStreamComesFromSecond()
    {
        // East takes the request and never answers; West's answer lasts longer than the start limit
        // (6 deltas 700 ms apart), which must not cut it: the limit is on the start alone.
        const string model = "sim.chunks:6.delay:700.amazon.nova-lite-fo-hang-v1:0";
        (int east, int west) = (stack.East.TotalRequests, stack.West.TotalRequests);
        stack.East.Options.InstanceFault.Set("hang");
        var started = System.Diagnostics.Stopwatch.StartNew();
        string text;
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(
                stack.Post(stack.FunctionUrl, "/converse", Converse(model, stream: true)), HttpCompletionOption.ResponseHeadersRead, Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync(Timeout);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }

        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(TwoRegionStackFixture.StreamStartTimeoutSeconds),
            $"answered after {started.Elapsed}, before the hung region could have been given up on");
        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split("event: contentBlockDelta").Length - 1);
        Assert.Equal(1, stack.East.TotalRequests - east);
        Assert.Equal(1, stack.West.TotalRequests - west);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-west-2", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal(2, usage.GetProperty("bedrock_attempts").GetInt32());
        Assert.False(usage.TryGetProperty("error_type", out JsonElement error) && error.ValueKind == JsonValueKind.String,
            $"the usage record has an error: {error}");
    }

    [Fact]
    public async Task Converse_FirstRegionHealthy_AnswersThereAndSecondIsNeverCalled()
    {
        const string model = "amazon.nova-lite-fo-healthy-v1:0";
        int west = stack.West.TotalRequests;

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(west, stack.West.TotalRequests);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-east-1", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal(1, usage.GetProperty("bedrock_attempts").GetInt32());
    }

    [Theory]
    [InlineData("validation", 400, "ValidationException")]
    [InlineData("access-denied", 403, "AccessDeniedException")]
    public async Task Converse_FirstRegionRefusesTheRequest_NeverFailsOver(string fault, int status, string type)
    {
        string model = $"amazon.nova-lite-fo-{fault}-v1:0";
        (int east, int west) = (stack.East.TotalRequests, stack.West.TotalRequests);
        stack.East.Options.InstanceFault.Set(fault);
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

            Assert.Equal(status, (int)response.StatusCode);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }
        Assert.Equal(1, stack.East.TotalRequests - east);
        Assert.Equal(0, stack.West.TotalRequests - west);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal(type, usage.GetProperty("error_type").GetString());
        Assert.Equal("us-east-1", usage.GetProperty("bedrock_region").GetString());
    }

    [Fact]
    public async Task Converse_BothRegionsThrottle_OneAttemptBudgetAcrossRegionsThen429()
    {
        const string model = "amazon.nova-lite-fo-both-v1:0";
        (int east, int west) = (stack.East.TotalRequests, stack.West.TotalRequests);
        stack.East.Options.InstanceFault.Set("throttle:1000000");
        stack.West.Options.InstanceFault.Set("throttle:1000000");
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));

            await AssertStatusAsync(429, response);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
            stack.West.Options.InstanceFault.Set(null);
        }
        // BEDROCK_MAX_ATTEMPTS=4 in all, alternating: east, west, east, west.
        Assert.Equal(2, stack.East.TotalRequests - east);
        Assert.Equal(2, stack.West.TotalRequests - west);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal(4, usage.GetProperty("bedrock_attempts").GetInt32());
    }

    [Fact]
    public async Task UsageRecord_InDynamoDb_NamesTheRegionThatAnswered()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("failover-billed", CustomerLimits.None, [], Timeout);
        stack.East.Options.InstanceFault.Set("unavailable");
        try
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(
                stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            stack.East.Options.InstanceFault.Set(null);
        }

        var reader = new UsageReportReader(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits);
        string month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        List<UsageRecord> records = [];
        for (int i = 0; i < 100 && records.Count == 0; i++)
        {
            await foreach (UsageRecord record in reader.ListRecordsAsync("failover-billed", month, Timeout))
            {
                records.Add(record);
            }
            await Task.Delay(50);
        }
        UsageRecord stored = Assert.Single(records);
        Assert.Equal("us-west-2", stored.BedrockRegion);
        Assert.Equal(2, stored.BedrockAttempts);
    }

    private async Task AssertStatusAsync(int expected, HttpResponseMessage response)
    {
        if ((int)response.StatusCode != expected)
        {
            string body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException($"expected {expected}, got {(int)response.StatusCode}: {body}\n{stack.WorkerLogText()}");
        }
    }
}
