using System.Net;
using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.IntegrationTests.Failover;

/// <summary>
/// A pass-through header a caller fills with characters outside visible ASCII is that caller's 400,
/// never a Bedrock call and never a failure counted against the first region's circuit breaker.
/// </summary>
[Collection(HeaderHygieneCollection.Name)]
public sealed class HeaderHygieneTests(HeaderHygieneStackFixture stack) : IDisposable
{
    // Kestrel (the emulated fronts) reads header bytes as UTF-8, as a caller's raw bytes would arrive.
    private readonly HttpClient _rawHeaders = new(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public void Dispose() => _rawHeaders.Dispose();

    private static string Converse(string model) =>
        $$"""{"modelId":"{{model}}","stream":false,"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    [Theory]
    [InlineData("/converse", "X-Amzn-Bedrock-Trace", "ENABLED\u00e9", "proxy")]
    [InlineData("/converse", "X-Amzn-Bedrock-GuardrailIdentifier", "gr\tabc", "proxy")]
    [InlineData("/model/amazon.nova-lite-hh-native-v1:0/converse", "Accept", "application/j\u00f6son", "aws")]
    [InlineData("/v1/chat/completions", "X-Amzn-Bedrock-Trace", "\u2028ENABLED", "openai")]
    public async Task BadPassThroughHeader_400NamingItNothingReachesBedrockAndTheFirstRegionStaysInUse(
        string path, string header, string value, string style)
    {
        string model = $"amazon.nova-lite-hh-{Guid.NewGuid():N}-v1:0";
        string body = path switch
        {
            "/v1/chat/completions" => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}]}""",
            "/converse" => Converse(model),
            _ => """{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""",
        };
        (int east, int west) = (stack.East.TotalRequests, stack.West.TotalRequests);

        // Several times the breaker's threshold, so every worker would have opened east were these counted.
        for (int i = 0; i < 4 * HeaderHygieneStackFixture.FailureThreshold; i++)
        {
            using HttpRequestMessage request = stack.Post(stack.FunctionUrl, path, body);
            Assert.True(request.Headers.TryAddWithoutValidation(header, value));
            using HttpResponseMessage response = await _rawHeaders.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using JsonDocument json = JsonDocument.Parse(text);
            // Each surface's own error shape: AWS's {"message"}, the proxy's and OpenAI's {"error":{"message"}}.
            JsonElement error = style == "aws"
                ? json.RootElement.GetProperty("message")
                : json.RootElement.GetProperty("error").GetProperty("message");
            Assert.Contains(header, error.GetString(), StringComparison.Ordinal);
        }

        Assert.Equal((east, west), (stack.East.TotalRequests, stack.West.TotalRequests));
        using HttpResponseMessage good = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse(model)));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        JsonElement usage = await stack.UsageLineAsync(model);
        Assert.Equal("us-east-1", usage.GetProperty("bedrock_region").GetString());
        Assert.Equal(1, usage.GetProperty("bedrock_attempts").GetInt32());
        Assert.Equal(west, stack.West.TotalRequests);
    }
}
