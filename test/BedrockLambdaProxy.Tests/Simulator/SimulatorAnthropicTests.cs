using System.Net;
using System.Text.Json;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>
/// The simulator's Anthropic body rules and scripts: unknown fields and betas refused as Bedrock refuses them, the
/// scripted tool round in Anthropic's format, signed thinking blocks, and Claude Code's file-reading round.
/// </summary>
public sealed class SimulatorAnthropicTests : IAsyncLifetime
{
    private const string Claude = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private const string TopSongTool =
        """{"name":"top_song","description":"The most popular song on a station.","input_schema":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}""";

    private SimulatorServer _server = null!;

    public async Task InitializeAsync() => _server = await SimulatorServer.StartAsync(
        new SimulatorOptions { ChunkDelay = TimeSpan.Zero }, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Body(string rest) => """{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,""" + rest + "}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> InvokeAsync(string body)
    {
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, Claude, "invoke", body));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Theory]
    [InlineData("\"service_tier\":\"auto\",", "service_tier: Extra inputs are not permitted")]
    [InlineData("\"stream\":true,", "stream: Extra inputs are not permitted")]
    [InlineData("\"anthropic_beta\":[\"claude-code-20250219\"],", "invalid beta flag")]
    public async Task Invoke_FieldOrBetaBedrockDoesNotKnow_400WithBedrocksWording(string extra, string message)
    {
        var (status, body) = await InvokeAsync(Body(extra + @"""messages"":[{""role"":""user"",""content"":""Hi""}]"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_TwoRoundTopSong_ToolUseThenAnswerFromTheResult()
    {
        var (_, first) = await InvokeAsync(Body($$"""
            "tools":[{{TopSongTool}}],"messages":[{"role":"user","content":"What is the most popular song on WZPZ?"}]
            """));
        Assert.Equal("tool_use", first.GetProperty("stop_reason").GetString());
        JsonElement toolUse = first.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("top_song", toolUse.GetProperty("name").GetString());
        Assert.Equal("WZPZ", toolUse.GetProperty("input").GetProperty("sign").GetString());

        var (_, second) = await InvokeAsync(Body($$"""
            "tools":[{{TopSongTool}}],"messages":[{"role":"user","content":"What is the most popular song on WZPZ?"},
            {"role":"assistant","content":{{first.GetProperty("content").GetRawText()}}},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{toolUse.GetProperty("id").GetString()}}","content":"{\"song\":\"Elemental Hotel\",\"artist\":\"8 Storey Hike\"}"}]}]
            """));
        Assert.Equal("end_turn", second.GetProperty("stop_reason").GetString());
        Assert.Equal("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.", second.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Invoke_ReadToolAndAPathInThePrompt_AsksForTheFileThenQuotesIt()
    {
        const string tools = @"""tools"":[{""name"":""Read"",""input_schema"":{""type"":""object"",""properties"":{""file_path"":{""type"":""string""}},""required"":[""file_path""]}},{""name"":""Bash"",""input_schema"":{""type"":""object""}}],";
        var (_, first) = await InvokeAsync(Body(tools + """
            "messages":[{"role":"user","content":[{"type":"text","text":"<system-reminder>see /etc/other</system-reminder>"},{"type":"text","text":"What does /tmp/x/secret.txt say?"}]}]
            """));
        JsonElement toolUse = first.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("Read", toolUse.GetProperty("name").GetString());
        Assert.Equal("/tmp/x/secret.txt", toolUse.GetProperty("input").GetProperty("file_path").GetString());

        var (_, second) = await InvokeAsync(Body(tools + $$"""
            "messages":[{"role":"user","content":"What does /tmp/x/secret.txt say?"},
            {"role":"assistant","content":{{first.GetProperty("content").GetRawText()}}},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{toolUse.GetProperty("id").GetString()}}","content":"     1\tzebra-42"}]}]
            """));
        Assert.Contains("zebra-42", second.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ReadToolWithoutAPath_Echoes()
    {
        var (_, reply) = await InvokeAsync(Body(@"""tools"":[{""name"":""Read"",""input_schema"":{""type"":""object""}}],""messages"":[{""role"":""user"",""content"":""Hello there""}]"));

        Assert.Equal("Echo: Hello there", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Invoke_ThinkingToolRound_SignedBlockAcceptedBackAndChangedOneRefused()
    {
        const string setup = @"""thinking"":{""type"":""enabled"",""budget_tokens"":1024},""tools"":[" + TopSongTool + "],";
        var (_, first) = await InvokeAsync(Body(setup + @"""messages"":[{""role"":""user"",""content"":""Top song on WZPZ?""}]"));
        JsonElement[] blocks = [.. first.GetProperty("content").EnumerateArray()];
        Assert.Equal("thinking", blocks[0].GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(blocks[0].GetProperty("signature").GetString()));
        string id = blocks.Single(b => b.GetProperty("type").GetString() == "tool_use").GetProperty("id").GetString()!;
        string Round(string assistantContent) => Body(setup + $$"""
            "messages":[{"role":"user","content":"Top song on WZPZ?"},{"role":"assistant","content":{{assistantContent}}},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{id}}","content":"{\"song\":\"S\",\"artist\":\"A\"}"}]}]
            """);

        var (ok, _) = await InvokeAsync(Round(first.GetProperty("content").GetRawText()));
        var (changed, changedBody) = await InvokeAsync(Round(first.GetProperty("content").GetRawText().Replace("The user asked", "The user said", StringComparison.Ordinal)));
        var (withoutThinking, withoutBody) = await InvokeAsync(Round(JsonSerializer.Serialize(blocks.Skip(1))));

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.BadRequest, changed);
        Assert.Contains("Invalid `signature`", changedBody.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutThinking);
        Assert.Contains("must start with a thinking block", withoutBody.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeStream_Thinking_ThinkingDeltasThenSignatureDeltaThenText()
    {
        using var client = SimulatorHttp.SignedClient();
        using var response = await client.SendAsync(SimulatorHttp.Post(_server, Claude, "invoke-with-response-stream",
            Body(@"""thinking"":{""type"":""adaptive""},""messages"":[{""role"":""user"",""content"":""Hello there""}]")));
        List<JsonElement> chunks = SimulatorHttp.DecodeChunks(await response.Content.ReadAsByteArrayAsync());

        List<string> deltaTypes = [.. chunks.Where(c => c.GetProperty("type").GetString() == "content_block_delta")
            .Select(c => c.GetProperty("index").GetInt32() + ":" + c.GetProperty("delta").GetProperty("type").GetString()).Distinct()];
        Assert.Equal(["0:thinking_delta", "0:signature_delta", "1:text_delta"], deltaTypes);
        Assert.Equal("thinking", chunks[1].GetProperty("content_block").GetProperty("type").GetString());
    }
}
