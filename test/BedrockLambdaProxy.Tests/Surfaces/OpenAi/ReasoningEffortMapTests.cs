using System.Globalization;
using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

/// <summary><c>reasoning_effort</c> per model family, and <c>thinking_blocks</c> sent back, as exact Converse bodies.</summary>
public sealed class ReasoningEffortMapTests
{
    private const string Sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private static ChatRequest Translate(string model, string extra, string messages = """[{"role":"user","content":"hi"}]""")
    {
        string json = $$"""{"model":"{{model}}","messages":{{messages}}{{extra}}}""";
        Assert.True(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out ChatRequest? request, out ApiError? error), error?.Message);
        return request!;
    }

    private static string Converse(string model, string extra, string messages = """[{"role":"user","content":"hi"}]""") =>
        Encoding.UTF8.GetString(Translate(model, extra, messages).ConverseBody.Span);

    private static ApiError Refused(string model, string extra)
    {
        string json = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]{{extra}}}""";
        Assert.False(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out _, out ApiError? error));
        Assert.Equal(400, error!.StatusCode);
        return error;
    }

    [Theory]
    [InlineData("minimal", 1024, 5120)]
    [InlineData("low", 2048, 6144)]
    [InlineData("medium", 8192, 12288)]
    [InlineData("high", 16384, 20480)]
    public void TryTranslate_ClaudeEffortWithoutMaxTokens_ThinkingBudgetAndRaisedMaxTokens(string effort, int budget, int maxTokens)
    {
        ChatRequest request = Translate(Sonnet45, $$""","reasoning_effort":"{{effort}}" """);

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":MAX},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":BUDGET}}}"""
                .Replace("MAX", maxTokens.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("BUDGET", budget.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            Encoding.UTF8.GetString(request.ConverseBody.Span));
        // Admission reserves what Bedrock may now generate, not the caller's (absent) cap.
        Assert.Equal(maxTokens, request.MaxOutputTokens);
    }

    [Fact]
    public void TryTranslate_ClaudeMaxTokensAboveBudget_KeptAsSentWithTemperatureOne()
    {
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":3000,"temperature":1,"topP":0.95},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":2048}}}""",
            Converse("anthropic.claude-3-7-sonnet-20250219-v1:0", ""","reasoning_effort":"low","max_completion_tokens":3000,"temperature":1,"top_p":0.95"""));
    }

    [Fact]
    public void TryTranslate_ClaudeMaxTokensAtBudget_RaisedToBudgetPlusAllowance()
    {
        ChatRequest request = Translate("anthropic.claude-opus-4-1-20250805-v1:0", ""","reasoning_effort":"medium","max_tokens":500""");

        Assert.Equal(8192 + ReasoningPlan.AnswerAllowance, request.MaxOutputTokens);
    }

    [Theory]
    [InlineData("openai.gpt-oss-120b-1:0", "minimal", """{"reasoning_effort":"low"}""")]
    [InlineData("openai.gpt-oss-20b-1:0", "high", """{"reasoning_effort":"high"}""")]
    [InlineData("us.amazon.nova-2-lite-v1:0", "medium", """{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"medium"}}""")]
    [InlineData("amazon.nova-2-lite-v1:0", "minimal", """{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"low"}}""")]
    public void TryTranslate_NativeEffortFamilies_AdditionalModelRequestFields(string model, string effort, string fields)
    {
        Assert.Equal(
            $$"""{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"temperature":0.2},"additionalModelRequestFields":{{fields}}}""",
            Converse(model, $$""","reasoning_effort":"{{effort}}","temperature":0.2"""));
    }

    [Theory]
    [InlineData("us.deepseek.r1-v1:0", "high")]
    [InlineData("amazon.nova-lite-v1:0", "none")]
    [InlineData(Sonnet45, "none")]
    [InlineData("amazon.nova-2-lite-v1:0", "none")]
    public void TryTranslate_NothingToSet_PlainConverseBody(string model, string effort)
    {
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", Converse(model, $$""","reasoning_effort":"{{effort}}" """));
    }

    [Theory]
    [InlineData("amazon.nova-lite-v1:0", "\"low\"", "reasoning_effort", "unsupported_parameter")]
    [InlineData("anthropic.claude-3-5-sonnet-20240620-v1:0", "\"high\"", "reasoning_effort", "unsupported_parameter")]
    [InlineData("openai.gpt-oss-120b-1:0", "\"none\"", "reasoning_effort", "unsupported_value")]
    [InlineData("deepseek.r1-v1:0", "\"none\"", "reasoning_effort", "unsupported_value")]
    [InlineData(Sonnet45, "\"extreme\"", "reasoning_effort", "invalid_value")]
    [InlineData(Sonnet45, "\"xhigh\"", "reasoning_effort", "invalid_value")]
    [InlineData(Sonnet45, "3", "reasoning_effort", "invalid_type")]
    [InlineData(Sonnet45, "\"low\",\"temperature\":0.7", "temperature", "unsupported_value")]
    [InlineData(Sonnet45, "\"low\",\"top_p\":0.9", "top_p", "unsupported_value")]
    [InlineData(Sonnet45, "\"low\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"required\"", "tool_choice", "unsupported_value")]
    [InlineData("amazon.nova-2-lite-v1:0", "\"high\",\"temperature\":0.2", "temperature", "unsupported_value")]
    [InlineData("amazon.nova-2-lite-v1:0", "\"high\",\"max_tokens\":100", "max_tokens", "unsupported_value")]
    public void TryTranslate_EffortTheModelCannotHonour_400NamingTheParameter(string model, string value, string param, string code)
    {
        ApiError error = Refused(model, ",\"reasoning_effort\":" + value);

        Assert.Equal((param, code), (error.Param, error.Code));
    }

    [Fact]
    public void TryTranslate_ThinkingBlocksSentBack_ReasoningFirstInTheAssistantTurnExactly()
    {
        const string messages = """
            [{"role":"user","content":"Top song on WZPZ?"},
             {"role":"assistant","content":"Let me call top_song.",
              "reasoning_content":"The user asked…",
              "thinking_blocks":[{"type":"thinking","thinking":"The user asked \u2026 \"WZPZ\"","signature":"c2ln+/="},{"type":"redacted_thinking","data":"cmVkYWN0ZWQ="}],
              "tool_calls":[{"id":"tooluse_1","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},
             {"role":"tool","tool_call_id":"tooluse_1","content":"{\"song\":\"Elemental Hotel\"}"}]
            """;

        string body = Converse(Sonnet45,
            ""","reasoning_effort":"low","tools":[{"type":"function","function":{"name":"top_song","parameters":{"type":"object"}}}]""", messages);

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Top song on WZPZ?"}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"The user asked … \"WZPZ\"","signature":"c2ln+/="}}},{"reasoningContent":{"redactedContent":"cmVkYWN0ZWQ="}},{"text":"Let me call top_song."},{"toolUse":{"toolUseId":"tooluse_1","name":"top_song","input":{"sign":"WZPZ"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"json":{"song":"Elemental Hotel"}}]}}]}],"inferenceConfig":{"maxTokens":6144},"toolConfig":{"tools":[{"toolSpec":{"name":"top_song","inputSchema":{"json":{"type":"object"}}}}]},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":2048}}}""",
            body);
    }

    [Theory]
    [InlineData("""[{"type":"thinking","signature":"x"}]""", "messages[1].thinking_blocks[0].thinking")]
    [InlineData("""[{"type":"redacted_thinking","data":"not base64!"}]""", "messages[1].thinking_blocks[0].data")]
    [InlineData("""[{"type":"summary","text":"x"}]""", "messages[1].thinking_blocks[0].type")]
    [InlineData("""[{"type":"thinking","thinking":"t","signature":7}]""", "messages[1].thinking_blocks[0].signature")]
    [InlineData("""{"type":"thinking"}""", "messages[1].thinking_blocks")]
    public void TryTranslate_BadThinkingBlock_400NamingTheField(string blocks, string param)
    {
        string json = $$"""{"model":"{{Sonnet45}}","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","thinking_blocks":{{blocks}}},{"role":"user","content":"c"}]}""";

        Assert.False(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out _, out ApiError? error));
        Assert.Equal(param, error!.Param);
    }
}
