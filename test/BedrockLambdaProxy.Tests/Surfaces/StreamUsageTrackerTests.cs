using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;
using Xunit;

namespace BedrockLambdaProxy.Tests.Surfaces;

public sealed class StreamUsageTrackerTests
{
    [Fact]
    public void Outcome_StreamCutBeforeMetadata_BillsMarkedEstimateOfInputAndTextSeen()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 12);
        usage.ObserveConverse("messageStart", """{"role":"assistant"}"""u8);
        usage.ObserveConverse("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Echo: hello"}}"""u8);

        CallOutcome outcome = usage.Outcome(200, "DeadlineExceeded");

        Assert.True(outcome.TokensEstimated);
        Assert.Equal(new TokenUsage(12, TokenEstimate.FromText("Echo: hello")), outcome.Tokens);
        Assert.NotNull(outcome.TimeToFirstTokenMs);
    }

    [Fact]
    public void ObserveConverse_PlainAndEscapedTextDeltas_FoundTextHandedOnAndEveryByteCounted()
    {
        // Texts whose estimate changes if any byte is lost or counted twice: "a," is 2, "a,a," 4, …
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 3);
        byte[] plain = """{"contentBlockIndex":0,"delta":{"text":"a,b,"}}"""u8.ToArray();
        byte[] escaped = """{"contentBlockIndex":0,"delta":{"text":"c,\"d,"}}"""u8.ToArray();

        Assert.True(usage.ObserveConverse("contentBlockDelta", plain, out Range found));
        Assert.Equal("a,b,", System.Text.Encoding.UTF8.GetString(plain.AsSpan()[found]));
        // An escaped text is read by the JSON walk, and the relay gets no range to hand on.
        Assert.False(usage.ObserveConverse("contentBlockDelta", escaped, out _));
        Assert.False(usage.ObserveConverse("messageStop", """{"stopReason":"end_turn"}"""u8, out _));

        Assert.Equal(new TokenUsage(3, TokenEstimate.FromText("a,b,c,\"d,")), usage.Tokens);
        Assert.Equal(9, usage.Tokens.OutputTokens);
    }

    [Fact]
    public void Outcome_NoOutputYet_StillBillsTheInputEstimate()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 9);

        CallOutcome outcome = usage.Outcome(200, "ClientCancelled");

        Assert.True(outcome.TokensEstimated);
        Assert.Equal(new TokenUsage(9, 0), outcome.Tokens);
    }

    [Fact]
    public void Outcome_MetadataArrived_BillsBedrocksCountsUnmarked()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 9);
        usage.ObserveConverse("contentBlockDelta", """{"delta":{"text":"a b c d e f"}}"""u8);
        usage.ObserveConverse("metadata", """{"usage":{"inputTokens":7,"outputTokens":2,"totalTokens":9}}"""u8);

        CallOutcome outcome = usage.Outcome(200, null);

        Assert.False(outcome.TokensEstimated);
        Assert.Equal(new TokenUsage(7, 2), outcome.Tokens);
    }

    [Fact]
    public void ObserveInvokeChunk_TitanChunksThenCut_EstimatesOutputText()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 4);
        usage.ObserveInvokeChunk("""{"outputText":"Echo: ","index":0}"""u8);
        usage.ObserveInvokeChunk("""{"outputText":"one two","index":0}"""u8);

        Assert.Equal(new TokenUsage(4, TokenEstimate.FromText("Echo: one two")), usage.Tokens);
        Assert.True(usage.Estimated);
    }

    [Fact]
    public void ObserveInvokeChunk_ClaudeTextDeltas_EstimatedUntilMetricsThenBedrocksCounts()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, TimeProvider.System.GetTimestamp(), inputTokenEstimate: () => 4);
        usage.ObserveInvokeChunk("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"one two "}}"""u8);
        usage.ObserveInvokeChunk("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"three"}}"""u8);

        Assert.Equal(new TokenUsage(4, TokenEstimate.FromText("one two three")), usage.Tokens);
        Assert.True(usage.Estimated);

        // Metrics on a delta chunk (not where Bedrock puts them, but allowed) are still Bedrock's word.
        usage.ObserveInvokeChunk(
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"},"amazon-bedrock-invocationMetrics":{"inputTokenCount":6,"outputTokenCount":3}}"""u8);

        Assert.Equal(new TokenUsage(6, 3), usage.Tokens);
        Assert.False(usage.Estimated);
    }

    [Fact]
    public void ObserveUnary_NoCountsReported_EstimatesFromBody()
    {
        var usage = new StreamUsageTracker(TimeProvider.System, 0, inputTokenEstimate: () => 5);

        usage.ObserveUnary(null, """{"output":{"message":{"role":"assistant","content":[{"text":"Echo: hi"}]}},"stopReason":"end_turn"}"""u8);

        Assert.True(usage.Estimated);
        Assert.Equal(new TokenUsage(5, TokenEstimate.FromText("Echo: hi")), usage.Tokens);
    }
}
