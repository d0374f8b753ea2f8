using System.Text.Json;
using BedrockSimulator.Scripts;

namespace BedrockLambdaProxy.Tests.Simulator;

public sealed class ScriptTests
{
    private static readonly PlaybackSettings Five = new(5, TimeSpan.Zero, null);

    [Theory]
    [InlineData("", 0)]
    [InlineData("one", 1)]
    [InlineData("  two\twords\n", 2)]
    [InlineData("Echo: Hello simulator world", 4)]
    public void Words_Text_CountsWhitespaceSeparatedRuns(string text, int expected) =>
        Assert.Equal(expected, TokenRules.Words(text));

    [Fact]
    public void Split_NineCharsInTwo_ReturnsFourAndFive() =>
        Assert.Equal(["Echo", ": abc"], ChunkSplitter.Split("Echo: abc", 2));

    [Fact]
    public void Split_MorePiecesThanChars_OnePiecePerChar() =>
        Assert.Equal(["a", "b"], ChunkSplitter.Split("ab", 5));

    [Fact]
    public void Split_SurrogatePairAtBoundary_KeepsPairTogether()
    {
        var pieces = ChunkSplitter.Split("a\U0001F600b", 2);
        Assert.Equal("a\U0001F600b", string.Concat(pieces));
        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p[^1])));
    }

    [Fact]
    public void Build_EchoRequest_RepeatsLastUserTextWithDocumentedUsage()
    {
        using var doc = JsonDocument.Parse("""
            {"system":[{"text":"Be brief."}],
             "messages":[{"role":"user","content":[{"text":"first question"}]},
                         {"role":"assistant","content":[{"text":"first answer"}]},
                         {"role":"user","content":[{"text":"second"},{"text":"question"}]}]}
            """);

        var reply = ConverseScript.Build(doc.RootElement, Five, out _)!;

        Assert.Equal("Echo: second question", reply.Text);
        Assert.Equal(2 + 2 + 2 + 2 + 3, reply.InputTokens);
        Assert.Equal(3, reply.OutputTokens);
        Assert.Equal("end_turn", reply.StopReason);
        Assert.Equal(5, reply.Blocks[0].Pieces.Count);
    }

    [Fact]
    public void Build_ToolConfigWithoutResult_CallsFirstToolWithLastWord()
    {
        using var doc = JsonDocument.Parse("""
            {"messages":[{"role":"user","content":[{"text":"Most popular song on WZPZ?"}]}],
             "toolConfig":{"tools":[{"toolSpec":{"name":"top_song","inputSchema":{"json":{"type":"object",
               "properties":{"other":{"type":"string"},"sign":{"type":"string"}},"required":["sign"]}}}}]}}
            """);

        var reply = ConverseScript.Build(doc.RootElement, new PlaybackSettings(1, TimeSpan.Zero, null), out _)!;

        Assert.Equal("tool_use", reply.StopReason);
        var tool = reply.Blocks[1].Tool!;
        Assert.Equal(new ToolCall("tooluse_sim_1", "top_song", """{"sign":"WZPZ"}"""), tool);
        Assert.True(reply.Blocks[1].Pieces.Count >= 3);
        Assert.Equal(TokenRules.Words("Let me call top_song.") + TokenRules.ToolCallTokens, reply.OutputTokens);
    }

    [Fact]
    public void Build_NoMessages_ReturnsValidationError()
    {
        using var doc = JsonDocument.Parse("""{"messages":[]}""");
        Assert.Null(ConverseScript.Build(doc.RootElement, Five, out var error));
        Assert.Contains("messages", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerText_OutputBytes_ReturnsExactlyThatManyBytes()
    {
        var text = EchoScript.AnswerText("ignored", new PlaybackSettings(3, TimeSpan.Zero, 10_001));
        Assert.Equal(10_001, text.Length);
        Assert.StartsWith("lorem ipsum", text, StringComparison.Ordinal);
    }
}
