using System.Net;
using BedrockSimulator;
using BedrockSimulator.Scripts;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>The <c>sim.</c> model id form that shapes answers where headers cannot reach the simulator.</summary>
public sealed class ModelIdShapingTests : IAsyncLifetime
{
    private const string Nova = "amazon.nova-lite-v1:0";
    private SimulatorServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void TrySplit_AllParts_ReturnsHeaderValuesAndModelId()
    {
        Assert.True(ModelIdShaping.TrySplit("sim.bytes:10000000.chunks:5.delay:50." + Nova, out var values, out var modelId, out _));

        Assert.Equal(Nova, modelId);
        Assert.Equal("10000000", values[SimulatorHeaders.OutputBytes]);
        Assert.Equal("5", values[SimulatorHeaders.Chunks]);
        Assert.Equal("50", values[SimulatorHeaders.ChunkDelayMs]);
    }

    [Fact]
    public void TrySplit_NoModelAfterParts_AnswersAsNova()
    {
        Assert.True(ModelIdShaping.TrySplit("sim.delay:50", out var values, out var modelId, out _));

        Assert.Equal(ModelIdShaping.DefaultModelId, modelId);
        Assert.Equal("50", Assert.Single(values).Value);
    }

    [Theory]
    [InlineData(Nova)]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0")]
    public void TrySplit_OrdinaryModelId_ReturnsItUnchanged(string id)
    {
        Assert.True(ModelIdShaping.TrySplit(id, out var values, out var modelId, out _));

        Assert.Equal(id, modelId);
        Assert.Empty(values);
    }

    [Fact]
    public void TrySplit_ModelIdWithColonDigits_StopsAtFirstNonShapingPart()
    {
        Assert.True(ModelIdShaping.TrySplit("sim.chunks:2.us.anthropic.claude-3-5-sonnet-20240620-v1:0", out _, out var modelId, out _));

        Assert.Equal("us.anthropic.claude-3-5-sonnet-20240620-v1:0", modelId);
    }

    [Theory]
    [InlineData("sim.size:3." + Nova, "size:3")]
    [InlineData("sim." + Nova, "no bytes:N")]
    public void TrySplit_BadShaping_ReturnsError(string id, string expected)
    {
        Assert.False(ModelIdShaping.TrySplit(id, out _, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConverseStream_SimBytesAndChunks_StreamsExactBytesInThatManyDeltas()
    {
        var events = await StreamAsync("sim.bytes:2500.chunks:4." + Nova);

        var deltas = events.Where(e => e.Type == "contentBlockDelta")
            .Select(e => e.Payload.RootElement.GetProperty("delta").GetProperty("text").GetString()!).ToList();
        Assert.Equal(4, deltas.Count);
        Assert.Equal(2500, deltas.Sum(d => d.Length));
        Assert.StartsWith("lorem ipsum", deltas[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConverseStream_HeaderAndModelId_HeaderWins()
    {
        var events = await StreamAsync("sim.chunks:4." + Nova, ("x-simulator-chunks", "2"));

        Assert.Equal(2, events.Count(e => e.Type == "contentBlockDelta"));
    }

    [Fact]
    public async Task ConverseStream_FaultThenShaping_AppliesBoth()
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, "fault.fail-after:2.sim.chunks:6." + Nova, "converse-stream",
            SimulatorHttp.Converse("one two three four five six"));
        using var response = await client.SendAsync(request);
        var messages = SimulatorHttp.DecodeMessages(await response.Content.ReadAsByteArrayAsync());

        var types = messages.Select(m => m.Headers.TryGetValue(":event-type", out var t) ? t.AsString() : m.Headers[":exception-type"].AsString());
        Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockDelta", "modelStreamErrorException"], types);
    }

    [Theory]
    [InlineData("sim.bytes:0." + Nova)]
    [InlineData("sim.colour:1." + Nova)]
    public async Task Converse_BadShaping_Returns400Validation(string modelId)
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, modelId, "converse", SimulatorHttp.Converse("hi"));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    private async Task<List<(string Type, System.Text.Json.JsonDocument Payload)>> StreamAsync(
        string modelId, params (string Name, string Value)[] headers)
    {
        using var client = SimulatorHttp.SignedClient();
        using var request = SimulatorHttp.Post(_server, modelId, "converse-stream", SimulatorHttp.Converse("one two three four five six"), headers);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SimulatorHttp.DecodeEvents(await response.Content.ReadAsByteArrayAsync());
    }
}
