using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Usage;
using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// Each way a charged request can end, through the real bootstrap, dynalite and the simulator: an
/// answer too large for a buffered front, a stream cut by the deadline, a slow DynamoDB at the deadline.
/// </summary>
public sealed class BillingEndingsTests(BillingStackFixture stack) : IClassFixture<BillingStackFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static string Converse(string model, bool stream) =>
        $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Theory]
    [InlineData("converse-unary")]
    [InlineData("converse-array")]
    [InlineData("native-stream")]
    [InlineData("openai-stream")]
    [InlineData("anthropic-stream")]
    public async Task BufferedApi_AnswerOverLambdaLimit_ResponseTooLargeAndBedrocksOwnCounts(string shape)
    {
        string model = shape == "anthropic-stream"
            ? "sim.bytes:7000000.anthropic.claude-haiku-4-5-over-v1:0"
            : $"sim.bytes:7000000.amazon.nova-lite-over-{shape}-v1:0";
        HttpRequestMessage request = shape switch
        {
            "converse-unary" => stack.PostAsBilling(stack.ApiGatewayUrl, "/converse", Converse(model, stream: false)),
            "converse-array" => stack.PostAsBilling(stack.ApiGatewayUrl, "/converse", Converse(model, stream: true)),
            "native-stream" => stack.PostAsBilling(stack.ApiGatewayUrl, $"/model/{Uri.EscapeDataString(model)}/invoke-with-response-stream",
                """{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}"""),
            "anthropic-stream" => stack.PostAsBilling(stack.ApiGatewayUrl, "/v1/messages",
                $$"""{"model":"{{model}}","stream":true,"max_tokens":4096,"messages":[{"role":"user","content":"Hello there"}]}"""),
            _ => stack.PostAsBilling(stack.ApiGatewayUrl, "/v1/chat/completions",
                $$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"Hello there"}]}"""),
        };

        using HttpResponseMessage response = await stack.Http.SendAsync(request);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, $"{(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        // Anthropic's clients know a fixed set of error types: there it is an api_error (502) that says why.
        Assert.Contains(shape == "anthropic-stream" ? "\"type\":\"api_error\"" : "ResponseTooLarge",
            body + string.Join(",", response.Headers.Select(h => string.Join(",", h.Value))), StringComparison.Ordinal);
        Assert.Contains("/stream/", body, StringComparison.Ordinal);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("ResponseTooLarge", usage.GetProperty("error_type").GetString());
        Assert.False(usage.GetProperty("estimated").GetBoolean());
        ServedCall served = Assert.Single(stack.ServedCalls(), c => c.ModelId == model);
        Assert.Equal(served.RequestId, usage.GetProperty("bedrock_request_id").GetString());
        Assert.Equal(served.InputTokens, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(served.OutputTokens, usage.GetProperty("output_tokens").GetInt64());
    }

    [Fact]
    public async Task ConverseStream_CutByDeadline_BilledMarkedEstimateInRecordLogAndAggregate()
    {
        // 40 deltas a second apart against a 5 s function (cut 2 s before): text reaches the caller,
        // Bedrock's metadata never does.
        const string model = "sim.delay:1000.chunks:40.amazon.nova-lite-cut-v1:0";
        using var timeout = new CancellationTokenSource(Guard);
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.PostAsBilling(stack.FunctionUrl, "/converse", Converse(model, stream: true)), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        (string text, _) = await StreamReading.ReadToEndAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);

        Assert.Contains("contentBlockDelta", text, StringComparison.Ordinal);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("DeadlineExceeded", usage.GetProperty("error_type").GetString());
        Assert.True(usage.GetProperty("estimated").GetBoolean());
        Assert.False(usage.GetProperty("tokens_reported").GetBoolean());
        Assert.True(usage.GetProperty("input_tokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("output_tokens").GetInt64() > 0);
        UsageRecord record = await EventuallyRecordAsync(model);
        Assert.True(record.Estimated);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt64(), record.Tokens!.OutputTokens);
        // The aggregate is the second write, after the record.
        await Eventually.TrueAsync(async () => (await stack.MonthAsync())?.EstimatedRequests >= 1, "estimatedRequests on the month's aggregate");
    }

    [Fact]
    public async Task ConverseStream_DynamoSlowAtDeadline_UnwrittenLineWithEstimateBeforeSandboxEnds()
    {
        const string model = "sim.delay:1000.chunks:40.amazon.nova-lite-slowdb-v1:0";
        using var timeout = new CancellationTokenSource(Guard);
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.PostAsBilling(stack.FunctionUrl, "/converse", Converse(model, stream: true)), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await StreamReading.ReadUntilAsync(body, "contentBlockDelta", timeout.Token);
        // From here every DynamoDB call of the function takes 10 s: longer than the time left.
        stack.SlowDynamo.Delay = TimeSpan.FromSeconds(10);
        try
        {
            await StreamReading.ReadToEndAsync(body, timeout.Token);
            (string pending, JsonElement record) = await EventuallyUnwrittenAsync(model);

            Assert.Equal(UnwrittenUsageLine.PendingRecord, pending);
            Assert.True(record.GetProperty("estimated").GetBoolean());
            Assert.True(record.GetProperty("tokens").GetProperty("outputTokens").GetInt64() > 0);
        }
        finally
        {
            stack.SlowDynamo.Delay = TimeSpan.Zero;
        }
    }

    private async Task<UsageRecord> EventuallyRecordAsync(string model)
    {
        for (int i = 0; i < 100; i++)
        {
            if ((await stack.UsageRecordsAsync()).SingleOrDefault(r => r.ModelId == model) is { } record)
            {
                return record;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no usage record for {model}\n{stack.WorkerLogText()}");
    }

    private async Task<(string Pending, JsonElement Record)> EventuallyUnwrittenAsync(string model)
    {
        for (int i = 0; i < 200; i++)
        {
            foreach ((string pending, JsonElement record) in stack.UnwrittenLines())
            {
                if (record.GetProperty("modelId").GetString() == model)
                {
                    return (pending, record);
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no usage_record_unwritten line for {model}\n{stack.WorkerLogText()}");
    }
}
