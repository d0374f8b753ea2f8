using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.Anthropic;

namespace BedrockLambdaProxy.Tests.Surfaces.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private static readonly AnthropicSettings Settings = AnthropicSettings.Defaults("us-east-1");

    private static (bool Ok, AnthropicRequest? Request, ApiError? Error) Translate(string body, string? betas = null, bool countTokens = false, AnthropicSettings? settings = null)
    {
        bool ok = AnthropicRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), betas, settings ?? Settings, countTokens, out AnthropicRequest? request, out ApiError? error);
        return (ok, request, error);
    }

    [Fact]
    public void TryTranslate_AliasAndStream_BedrockBodyWithVersionNoModelNoStream()
    {
        var (ok, request, _) = Translate("""{"model":"claude-sonnet-4-5","stream":true,"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.True(ok);
        Assert.Equal("us.anthropic.claude-sonnet-4-5-20250929-v1:0", request!.ModelId);
        Assert.True(request.Stream);
        Assert.Equal(64, request.MaxOutputTokens);
        Assert.Equal(
            """{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8.GetString(request.Body.Span));
    }

    [Fact]
    public void TryTranslate_ThinkingBlockWithEscapes_CopiedByteForByte()
    {
        const string messages = """[{"role":"assistant","content":[{"type":"thinking","thinking":"caf\u00e9 \"q\" \/","signature":"Ab+/=="}]},{"role":"user","content":"x"}]""";

        var (_, request, _) = Translate("""{"model":"anthropic.claude-x-v1:0","max_tokens":5,"messages":""" + messages + "}");

        Assert.Contains("\"messages\":" + messages, Encoding.UTF8.GetString(request!.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_BetasAndFieldsBedrockRefuses_DroppedAndNamed()
    {
        var (_, request, _) = Translate(
            """{"model":"claude-haiku-4-5","max_tokens":5,"service_tier":"auto","messages":[]}""",
            "claude-code-20250219, interleaved-thinking-2025-05-14,context-1m-2025-08-07");

        using JsonDocument body = JsonDocument.Parse(request!.Body);
        Assert.Equal(["interleaved-thinking-2025-05-14"], body.RootElement.GetProperty("anthropic_beta").EnumerateArray().Select(b => b.GetString()));
        Assert.False(body.RootElement.TryGetProperty("service_tier", out _));
        Assert.Equal(["anthropic-beta:claude-code-20250219", "anthropic-beta:context-1m-2025-08-07", "service_tier"], request.Dropped.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TryTranslate_OperatorBetaRow_ReplacesTheFamilysDefaults()
    {
        var settings = new AnthropicSettings(AnthropicModelAliases.Create("us-east-1", null, null), AnthropicBodyPolicy.Create(null, "claude-haiku-4-5=custom-beta-1"));

        var (_, request, _) = Translate("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}""", "custom-beta-1,interleaved-thinking-2025-05-14", settings: settings);

        Assert.Equal(["anthropic-beta:interleaved-thinking-2025-05-14"], request!.Dropped);
    }

    [Theory]
    [InlineData("""{"model":"amazon.nova-lite-v1:0","max_tokens":5,"messages":[]}""", 400, "/v1/chat/completions")]
    [InlineData("""{"model":"claude-unknown-9","max_tokens":5,"messages":[]}""", 404, "ANTHROPIC_MODEL_ALIASES")]
    [InlineData("""{"max_tokens":5,"messages":[]}""", 400, "model: Field required.")]
    [InlineData("""{"model":"claude-haiku-4-5","stream":"yes","max_tokens":5,"messages":[]}""", 400, "stream: Input should be a valid boolean")]
    [InlineData("""{"model":"claude-haiku-4-5","max_tokens":"many","messages":[]}""", 400, "max_tokens")]
    public void TryTranslate_BadRequest_StatusAndMessage(string body, int status, string message)
    {
        var (ok, _, error) = Translate(body);

        Assert.False(ok);
        Assert.Equal(status, error!.StatusCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_CountTokensWithoutMaxTokens_AddsOneAboveTheThinkingBudgetAndReservesNothing()
    {
        var (_, request, _) = Translate(
            """{"model":"claude-sonnet-4-5","stream":true,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[]}""", countTokens: true);

        using JsonDocument body = JsonDocument.Parse(request!.Body);
        Assert.Equal(2001, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.False(request.Stream);
        Assert.Equal(0, request.MaxOutputTokens);
    }
}
