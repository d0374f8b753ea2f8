using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.Tests.Simulator;

public sealed class FaultSpecTests
{
    [Theory]
    [InlineData("throttle:3", nameof(FaultKind.Throttle), 3)]
    [InlineData("fail-after:2", nameof(FaultKind.FailAfter), 2)]
    [InlineData("hang-after:0", nameof(FaultKind.HangAfter), 0)]
    [InlineData("hang", nameof(FaultKind.Hang), 0)]
    [InlineData("validation", nameof(FaultKind.Validation), 0)]
    [InlineData("access-denied", nameof(FaultKind.AccessDenied), 0)]
    [InlineData("not-found", nameof(FaultKind.NotFound), 0)]
    [InlineData("model-timeout", nameof(FaultKind.ModelTimeout), 0)]
    [InlineData("unavailable", nameof(FaultKind.Unavailable), 0)]
    [InlineData("not-ready", nameof(FaultKind.NotReady), 0)]
    [InlineData("internal", nameof(FaultKind.InternalError), 0)]
    public void TryParse_KnownFault_ReturnsKindAndCount(string text, string kind, int count)
    {
        Assert.True(FaultSpec.TryParse(text, out var spec, out _));
        Assert.Equal(Enum.Parse<FaultKind>(kind), spec.Kind);
        Assert.Equal(count, spec.Count);
    }

    [Fact]
    public void TryParse_FailAfterWithType_KeepsStreamExceptionType()
    {
        Assert.True(FaultSpec.TryParse("fail-after:1:throttlingException", out var spec, out _));
        Assert.Equal(new FaultSpec(FaultKind.FailAfter, 1, "throttlingException"), spec);
    }

    [Theory]
    [InlineData("throttle")]
    [InlineData("throttle:x")]
    [InlineData("throttle:-1")]
    [InlineData("explode")]
    [InlineData("hang:2")]
    public void TryParse_BadFault_ReturnsErrorMessage(string text)
    {
        Assert.False(FaultSpec.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Empty_ReturnsNone()
    {
        Assert.True(FaultSpec.TryParse(null, out var spec, out _));
        Assert.Equal(FaultKind.None, spec.Kind);
    }

    [Theory]
    [InlineData("fault.throttle:2.amazon.nova-lite-v1:0", "throttle:2", "amazon.nova-lite-v1:0")]
    [InlineData("fault.hang", "hang", "amazon.nova-lite-v1:0")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", null, "anthropic.claude-3-haiku-20240307-v1:0")]
    public void SplitModelId_FaultPrefix_SeparatesFaultAndModel(string modelId, string? fault, string model) =>
        Assert.Equal((fault, model), FaultSpec.SplitModelId(modelId));
}
