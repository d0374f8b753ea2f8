using System.Net;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Starting, addressing and stopping the in-process simulator.</summary>
public sealed class SimulatorLifecycleTests
{
    [Fact]
    public async Task StartAsync_Http2PortSet_ServesSignedRequestsOverH2c()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { Http2Port = 0, ChunkDelay = TimeSpan.Zero }, CancellationToken.None);
        Assert.NotNull(server.Http2BaseAddress);
        Assert.NotEqual(server.BaseAddress.Port, server.Http2BaseAddress!.Port);

        using var client = SimulatorHttp.SignedClient();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri(server.Http2BaseAddress, "model/amazon.nova-lite-v1%3A0/converse"))
        {
            Content = new StringContent(SimulatorHttp.Converse("h2 please"), System.Text.Encoding.UTF8, "application/json"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Echo: h2 please", doc.RootElement.GetProperty("output").GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task StartAsync_DefaultOptions_BindsLoopbackOnlyWithoutHttp2()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions(), CancellationToken.None);

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        Assert.Null(server.Http2BaseAddress);
    }

    [Fact]
    public async Task DisposeAsync_RequestHanging_ClientSeesBrokenConnectionNotSuccess()
    {
        var server = await SimulatorServer.StartAsync(new SimulatorOptions(), CancellationToken.None);
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(server, "amazon.nova-lite-v1:0", "converse", SimulatorHttp.Converse("x"), ("x-simulator-fault", "hang"));
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pending = client.SendAsync(request, guard.Token);
        // The hang starts only once the request has been counted, so wait for that before stopping.
        while (server.TotalRequests == 0 && !guard.IsCancellationRequested)
        {
            await Task.Delay(20, guard.Token);
        }

        await server.DisposeAsync();

        var error = await Record.ExceptionAsync(() => pending);
        Assert.IsType<HttpRequestException>(error);
        Assert.False(guard.IsCancellationRequested, "the request must end because the server stopped");
    }
}
