using System.Net;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Fault injection, routing errors and the request counter, over loopback with SDK-signed requests.</summary>
public sealed class SimulatorFaultTests : IAsyncLifetime
{
    private const string Nova = "amazon.nova-lite-v1:0";
    private SimulatorServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("validation", 400, "ValidationException")]
    [InlineData("access-denied", 403, "AccessDeniedException")]
    [InlineData("not-found", 404, "ResourceNotFoundException")]
    [InlineData("model-timeout", 408, "ModelTimeoutException")]
    [InlineData("unavailable", 503, "ServiceUnavailableException")]
    [InlineData("not-ready", 429, "ModelNotReadyException")]
    [InlineData("internal", 500, "InternalServerException")]
    [InlineData("fail-after:1", 500, "InternalServerException")]
    public async Task Converse_Fault_ReturnsAwsErrorStatusAndType(string fault, int status, string type)
    {
        var (code, errorType, message) = await SendAsync(Nova, "converse", SimulatorHttp.Converse("x"), ("x-simulator-fault", fault));

        Assert.Equal(status, code);
        Assert.Equal(type + ":http://internal.amazon.com/coral/com.amazon.bedrock/", errorType);
        Assert.False(string.IsNullOrEmpty(message));
    }

    [Fact]
    public async Task ConverseStream_FaultModelIdPrefix_ActsLikeHeader()
    {
        var (code, errorType, _) = await SendAsync("fault.access-denied." + Nova, "converse-stream", SimulatorHttp.Converse("x"));
        Assert.Equal(403, code);
        Assert.StartsWith("AccessDeniedException:", errorType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converse_Hang_NoAnswerBeforeClientGivesUp()
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, Nova, "converse", SimulatorHttp.Converse("x"), ("x-simulator-fault", "hang"));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, giveUp.Token));
    }

    [Fact]
    public async Task ConverseStream_HangAfterOne_StopsAfterFirstDelta()
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, Nova, "converse-stream", SimulatorHttp.Converse("one two three"),
            ("x-simulator-fault", "hang-after:1"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await body.CopyToAsync(received, giveUp.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: the server went silent, so only our deadline ends the read.
        }

        Assert.True(giveUp.IsCancellationRequested, "the stream must not complete");
        Assert.Equal(["messageStart", "contentBlockDelta"], SimulatorHttp.DecodeEvents(received.ToArray()).Select(e => e.Type));
    }

    [Fact]
    public async Task Converse_InvalidJson_Returns400Validation()
    {
        var (code, errorType, _) = await SendAsync(Nova, "converse", "{not json");
        Assert.Equal(400, code);
        Assert.StartsWith("ValidationException:", errorType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownOperation_Returns404UnknownOperation()
    {
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.PostAsync(new Uri(_server.BaseAddress, "model/x/generate"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("UnknownOperationException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converse_BadChunksHeader_Returns400NamingHeader()
    {
        var (code, _, message) = await SendAsync(Nova, "converse", SimulatorHttp.Converse("x"), ("x-simulator-chunks", "zero"));
        Assert.Equal(400, code);
        Assert.Contains("x-simulator-chunks", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsEndpoint_AfterKeyedRequests_CountsThemAndResets()
    {
        await SendAsync(Nova, "converse", SimulatorHttp.Converse("x"), ("x-simulator-request-key", "count-me"));
        await SendAsync(Nova, "converse", SimulatorHttp.Converse("x"), ("x-simulator-request-key", "count-me"));
        using var http = new HttpClient();

        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(_server.BaseAddress, "_simulator/requests")));
        Assert.Equal(2, doc.RootElement.GetProperty("byKey").GetProperty("count-me").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("total").GetInt32());

        using var reset = await http.DeleteAsync(new Uri(_server.BaseAddress, "_simulator/requests"));
        Assert.Equal(0, _server.RequestCount("count-me"));
        Assert.Equal(0, _server.TotalRequests);
    }

    private async Task<(int Status, string ErrorType, string Message)> SendAsync(string modelId, string operation, string body,
        params (string Name, string Value)[] headers)
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, modelId, operation, body, headers);
        using var response = await client.SendAsync(request);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.Single() : string.Empty;
        var text = await response.Content.ReadAsStringAsync();
        var message = errorType.Length == 0 ? string.Empty : JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
        return ((int)response.StatusCode, errorType, message);
    }
}
