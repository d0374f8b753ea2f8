using BedrockLambdaProxy.Tests.Bedrock;

namespace BedrockLambdaProxy.Tests.Auth;

/// <summary>The proxy's CRC-32 (System.IO.Hashing underneath) against the tests' own byte-at-a-time one.</summary>
public sealed class Crc32Tests
{
    [Fact]
    public void Compute_EveryLengthUpTo300_MatchesTheByteAtATimeReference()
    {
        // Covers the folded 16-byte blocks, the 64-byte threshold and every tail length.
        var data = new byte[300];
        new Random(11).NextBytes(data);
        for (int length = 0; length <= data.Length; length++)
        {
            ReadOnlySpan<byte> slice = data.AsSpan(0, length);
            Assert.Equal(EventStreamFrameBuilder.Crc32(slice), BedrockLambdaProxy.Auth.Crc32.Compute(slice));
        }
    }

    [Fact]
    public void Compute_AsciiChars_EqualsTheBytesOfTheSameText()
    {
        Assert.Equal(0xCBF43926u, BedrockLambdaProxy.Auth.Crc32.Compute("123456789".AsSpan()));
        Assert.Equal(0x414FA339u, BedrockLambdaProxy.Auth.Crc32.Compute("The quick brown fox jumps over the lazy dog"u8));
        string longKey = new('k', 400);
        Assert.Equal(EventStreamFrameBuilder.Crc32(System.Text.Encoding.ASCII.GetBytes(longKey)), BedrockLambdaProxy.Auth.Crc32.Compute(longKey.AsSpan()));
    }
}
