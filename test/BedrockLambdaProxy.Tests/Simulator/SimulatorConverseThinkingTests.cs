using System.Text.Json;
using BedrockSimulator;
using BedrockSimulator.Scripts;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>The simulator's reasoning on Converse: the scripted blocks, their token counts, and the wire shapes of both operations.</summary>
public sealed class SimulatorConverseThinkingTests
{
    private static readonly PlaybackSettings Five = new(5, TimeSpan.Zero, null);
    private const string Thinking = "The user asked: Hello there. I will answer with the scripted reply.";

    private static string Body(string text, string fields) =>
        $$"""{"messages":[{"role":"user","content":[{"text":"{{text}}"}]}],"additionalModelRequestFields":{{fields}}}""";

    private static ScriptedReply Build(string body)
    {
        using var document = JsonDocument.Parse(body);
        return ConverseScript.Build(document.RootElement, Five, out _)!;
    }

    [Fact]
    public void Build_ClaudeThinking_SignedReasoningFirstCountedAsOutput()
    {
        var reply = Build(Body("Hello there", """{"thinking":{"type":"enabled","budget_tokens":1024}}"""));

        Assert.Equal(Thinking, reply.Blocks[0].ThinkingText);
        Assert.True(ThinkingSignature.IsValid(Thinking, reply.Blocks[0].Signature));
        Assert.Equal("Echo: Hello there", reply.Text);
        Assert.Equal(TokenRules.Words(Thinking) + 3, reply.OutputTokens);
    }

    [Theory]
    [InlineData("""{"reasoning_effort":"low"}""")]
    [InlineData("""{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"low"}}""")]
    public void Build_NativeEffort_ReasoningWithoutSignature(string fields)
    {
        var reply = Build(Body("Hello there", fields));

        Assert.Equal((Thinking, null), (reply.Blocks[0].ThinkingText, reply.Blocks[0].Signature));
    }

    [Theory]
    [InlineData("""{"top_k":5}""")]
    [InlineData("""{"thinking":{"type":"disabled"}}""")]
    [InlineData("""{"reasoningConfig":{"type":"disabled"}}""")]
    public void Build_NoReasoningAsked_NoReasoningBlock(string fields) =>
        Assert.DoesNotContain(Build(Body("Hello there", fields)).Blocks, b => b.IsReasoning);

    [Fact]
    public void Build_RedactionTrigger_RedactedBlockAfterTheThinkingCountedAsTen()
    {
        var reply = Build(Body(ThinkingScript.RedactedTrigger, """{"thinking":{"type":"enabled","budget_tokens":1024}}"""));

        Assert.Equal(ThinkingSignature.RedactedData, reply.Blocks[1].RedactedData);
        Assert.Equal(TokenRules.Words(reply.Blocks[0].ThinkingText) + TokenRules.ToolCallTokens + TokenRules.Words(reply.Text), reply.OutputTokens);
    }

    [Fact]
    public async Task ConverseAndStream_Thinking_ReasoningBlockThenTextOnBothOperations()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { Port = 0, ChunkDelay = TimeSpan.Zero }, CancellationToken.None);
        using HttpClient client = SimulatorHttp.SignedClient();
        string body = Body("Hello there", """{"thinking":{"type":"enabled","budget_tokens":1024}}""");
        string signature = ThinkingSignature.Sign(Thinking);

        using HttpResponseMessage unary = await client.SendAsync(SimulatorHttp.Post(server, "anthropic.claude-sonnet-4-5-20250929-v1:0", "converse", body));
        using JsonDocument answer = JsonDocument.Parse(await unary.Content.ReadAsStringAsync());
        Assert.Equal(
            """[{"reasoningContent":{"reasoningText":{"text":"THINKING","signature":"SIGNATURE"}}},{"text":"Echo: Hello there"}]"""
                .Replace("THINKING", Thinking, StringComparison.Ordinal).Replace("SIGNATURE", signature, StringComparison.Ordinal),
            answer.RootElement.GetProperty("output").GetProperty("message").GetProperty("content").GetRawText());

        using HttpResponseMessage stream = await client.SendAsync(SimulatorHttp.Post(server, "anthropic.claude-sonnet-4-5-20250929-v1:0", "converse-stream", body));
        List<string> events = [.. SimulatorHttp.DecodeEvents(await stream.Content.ReadAsByteArrayAsync()).Select(e => e.Type + " " + Delta(e.Payload.RootElement))];
        Assert.Equal(
            [
                "messageStart ", "contentBlockDelta reasoningContent.text", "contentBlockDelta reasoningContent.text",
                "contentBlockDelta reasoningContent.signature", "contentBlockStop ",
                "contentBlockDelta text", "contentBlockDelta text", "contentBlockDelta text", "contentBlockDelta text", "contentBlockDelta text",
                "contentBlockStop ", "messageStop ", "metadata ",
            ],
            events);
    }

    private static string Delta(JsonElement payload)
    {
        if (!payload.TryGetProperty("delta", out JsonElement delta))
        {
            return "";
        }
        JsonProperty first = delta.EnumerateObject().First();
        return first.Value.ValueKind == JsonValueKind.Object ? first.Name + "." + first.Value.EnumerateObject().First().Name : first.Name;
    }
}
