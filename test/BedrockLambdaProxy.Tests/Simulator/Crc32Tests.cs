using BedrockSimulator.Wire;

namespace BedrockLambdaProxy.Tests.Simulator;

public sealed class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_ReturnsIeeeCheckValue() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Compute_Empty_ReturnsZero() => Assert.Equal(0u, Crc32.Compute([]));

    [Fact]
    public void Compute_QuickBrownFox_ReturnsKnownValue() =>
        Assert.Equal(0x414FA339u, Crc32.Compute("The quick brown fox jumps over the lazy dog"u8));

    [Fact]
    public void Append_SplitInput_EqualsWholeInput()
    {
        var whole = "123456789"u8.ToArray();
        Assert.Equal(Crc32.Compute(whole), Crc32.Append(Crc32.Compute(whole.AsSpan(0, 4)), whole.AsSpan(4)));
    }
}
