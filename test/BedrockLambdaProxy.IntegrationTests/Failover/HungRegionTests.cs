using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>A first region that takes the request and never answers: each attempt's start limit hands the call to the next region.</summary>
public sealed class HungRegionTests(HungRegionStackFixture stack) : IClassFixture<HungRegionStackFixture>
{
    [Fact]
    public async Task ConverseStream_DefaultLimit_HungRegionGivenUpAfterItsShareAndStreamComesFromSecond()
    {
        // Nothing configured: with a second region to go, the first may use half of the time left
        // (about (9 s - 1 s) / 2 = 4 s), leaving the second the other half.
        const string model = "sim.chunks:3.amazon.nova-lite-hung-stream-v1:0";
        int silent = stack.SilentConnections;
        var elapsed = Stopwatch.StartNew();

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/converse", RegionFailoverTests.Converse(model, stream: true)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();

        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(3.5), $"answered after {elapsed.Elapsed}, before the hung region's share ran out");
        Assert.Contains("data: [DONE]", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("event: contentBlockDelta").Length - 1);
        Assert.True(stack.SilentConnections > silent, "the hung region was never asked");
        await AssertAnsweredBySecondRegionAsync(model);
    }

    [Fact]
    public async Task ConverseStream_BufferedApiGateway_ShareTakenFromTheCallersTimeoutSoTheAnswerArrivesBeforeIt()
    {
        // API Gateway gives up after 4 s, the function after 9 s. Shared out of the function's time, the
        // hung region would keep the call 4 s and the caller would get API Gateway's 504; shared out of
        // the caller's 4 s (less the 1 s margin), it is given up on after about 1.5 s.
        const string model = "sim.chunks:2.amazon.nova-lite-hung-apigw-v1:0";

        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/converse", RegionFailoverTests.Converse(model, stream: true)));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("contentBlockDelta", body, StringComparison.Ordinal);
        await AssertAnsweredBySecondRegionAsync(model);
    }

    [Fact]
    public async Task Converse_UnaryLimitSet_HungRegionGivenUpAtItAndAnswerComesFromSecond()
    {
        const string model = "amazon.nova-lite-hung-unary-v1:0";
        var elapsed = Stopwatch.StartNew();

        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", RegionFailoverTests.Converse(model)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The function's timer and this stopwatch are different clocks, and a timer may fire a millisecond early
        // (seen once: 1.9987 s against 2 s); the point is that the first region was waited on up to its limit.
        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(HungRegionStackFixture.UnaryTimeoutSeconds) - TimeSpan.FromMilliseconds(50),
            $"answered after {elapsed.Elapsed}, before the unary limit");
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("output").GetProperty("message").TryGetProperty("content", out _));
        await AssertAnsweredBySecondRegionAsync(model);
    }

    /// <summary>The usage record says us-east-1 answered, on the second attempt (the first went to the hung region).</summary>
    private async Task AssertAnsweredBySecondRegionAsync(string model)
    {
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-east-1", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal(2, usage.GetProperty("bedrock_attempts").GetInt32());
    }
}
