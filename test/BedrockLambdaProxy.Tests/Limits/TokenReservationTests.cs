using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class TokenReservationTests
{
    private static readonly byte[] Body = """{"messages":[{"role":"user","content":[{"text":"one two three four"}]}]}"""u8.ToArray();

    private static BedrockCall Call(BedrockOperation operation, string model, long maxOutputTokens) =>
        new(operation, model, Body, new BedrockRequestHeaders(), maxOutputTokens);

    [Fact]
    public void For_MaxTokensGiven_InputEstimatePlusMaxTokens()
    {
        TokenReservation reservation = TokenReservation.For(Call(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", 200), OutputTokenDefaults.Default);

        Assert.Equal(TokenEstimate.FromRequestBody(Body), reservation.Input);
        Assert.Equal(200, reservation.Output);
        Assert.False(reservation.OutputIsDefault);
        Assert.Equal(reservation.Input + 200, reservation.Total);
    }

    [Fact]
    public void For_NoMaxTokens_InputEstimatePlusTheFamilysDefault()
    {
        TokenReservation reservation = TokenReservation.For(Call(BedrockOperation.Converse, "us.anthropic.claude-x", 0), OutputTokenDefaults.Default);

        Assert.Equal(64_000, reservation.Output);
        Assert.True(reservation.OutputIsDefault);
        Assert.True(reservation.Input > TokenEstimate.RequestOverhead);
    }

    [Fact]
    public void For_CountTokens_ReservesNothing()
    {
        Assert.Equal(0, TokenReservation.For(Call(BedrockOperation.CountTokens, "anthropic.claude-x", 0), OutputTokenDefaults.Default).Total);
    }

    [Fact]
    public void For_Embeddings_InputEstimateOnly()
    {
        BedrockCall call = Call(BedrockOperation.InvokeModel, "amazon.titan-embed-text-v2:0", 0) with { GeneratesNoOutput = true };

        TokenReservation reservation = TokenReservation.For(call, OutputTokenDefaults.Default);

        Assert.Equal((TokenEstimate.FromRequestBody(Body), 0L), (reservation.Input, reservation.Output));
    }

    [Fact]
    public void Explain_DefaultCap_SaysTheTotalAndHowToLowerIt()
    {
        string text = new TokenReservation(120, 4096, true).Explain();

        Assert.Contains("reserves 4216 tokens", text, StringComparison.Ordinal);
        Assert.Contains("sets none", text, StringComparison.Ordinal);
        Assert.Contains("max_tokens", text, StringComparison.Ordinal);
    }
}
