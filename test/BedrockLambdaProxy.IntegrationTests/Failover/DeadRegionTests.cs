using System.Net;
using System.Text.Json;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>A first region that refuses connections: failover, then its circuit opens and it is skipped.</summary>
public sealed class DeadRegionTests(DeadRegionStackFixture stack) : IClassFixture<DeadRegionStackFixture>
{
    private static string Converse(string model) =>
        $$"""{"modelId":"{{model}}","messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Fact]
    public async Task Converse_FirstRegionRefusesConnections_AnsweredBySecondThenSkippedOnceItsCircuitOpens()
    {
        var attempts = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            string model = $"amazon.nova-lite-dead-{i}-v1:0";
            using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonElement usage = await stack.UsageLineAsync(model);
            Assert.Equal("us-east-1", usage.GetProperty("bedrock_region").GetString());
            attempts.Add(usage.GetProperty("bedrock_attempts").GetInt32());
        }

        // Three refused connections (threshold 3) open eu-west-1's circuit; then requests go straight to us-east-1.
        Assert.Equal([2, 2, 2, 1, 1], attempts);
        string opened = Assert.Single(stack.Stack.Lambda.WorkerLogs.Select(l => l.Text),
            t => t.Contains("\"message\":\"bedrock region circuit opened\"", StringComparison.Ordinal));
        using JsonDocument line = JsonDocument.Parse(opened);
        Assert.Equal("eu-west-1", line.RootElement.GetProperty("bedrock_region").GetString());
        Assert.Equal("NetworkError", line.RootElement.GetProperty("error_type").GetString());
    }
}
