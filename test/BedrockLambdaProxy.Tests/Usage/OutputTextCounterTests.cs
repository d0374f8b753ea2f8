using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Usage;

public sealed class OutputTextCounterTests
{
    [Theory]
    // ConverseStream contentBlockDelta: text, tool input fragment (escaped JSON), reasoning text.
    [InlineData("""{"contentBlockIndex":0,"delta":{"text":"Hello world"},"p":"abcdefgh"}""", "Hello world")]
    [InlineData("""{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"sign\":\"WZPZ\"}"}}}""", """{"sign":"WZPZ"}""")]
    [InlineData("""{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Let me think"}}}""", "Let me think")]
    // InvokeModelWithResponseStream chunks by family.
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi there"}}""", "Hi there")]
    [InlineData("""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1"}}""", """{"a":1""")]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm, yes"}}""", "hmm, yes")]
    [InlineData("""{"contentBlockDelta":{"delta":{"text":"Nova says hi"},"contentBlockIndex":0}}""", "Nova says hi")]
    [InlineData("""{"outputText":"Titan text","index":0,"totalOutputTextTokenCount":null,"completionReason":null}""", "Titan text")]
    [InlineData("""{"generation":"Llama text","prompt_token_count":null,"stop_reason":null}""", "Llama text")]
    // Another family: every string value but names (type, role, stop reasons, padding).
    [InlineData("""{"type":"chunk","role":"assistant","outputs":[{"content":"Mistral text"}],"p":"xyz"}""", "Mistral text")]
    public void Add_EventOfEachShape_CountsTheModelOutputOnly(string json, string output)
    {
        var counter = new OutputTextCounter();

        counter.Add(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal(TokenEstimate.FromText(output), counter.Tokens);
        Assert.True(counter.SawOutput);
    }

    [Fact]
    public void Add_EventsWithoutOutput_CountNothing()
    {
        var counter = new OutputTextCounter();

        counter.Add("""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[]}}"""u8);
        counter.Add("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""u8);
        counter.Add("""{"stopReason":"end_turn","p":"abcdef"}"""u8);
        counter.Add("not json"u8);

        Assert.Equal(0, counter.Tokens);
        Assert.False(counter.SawOutput);
    }

    [Fact]
    public void Add_WordSplitAcrossDeltas_CountsAsOneRun()
    {
        var counter = new OutputTextCounter();

        counter.Add("""{"delta":{"text":"Ech"}}"""u8);
        counter.Add("""{"delta":{"text":"oing"}}"""u8);

        Assert.Equal(2, counter.Tokens); // "Echoing": 7 letters, ceil(7/4)
    }
}
