using System.Text.RegularExpressions;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Tests.Auth;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generate_NewKey_ParsesBackToItsKeyId()
    {
        IssuedApiKey issued = ApiKeyFormat.Generate();

        Assert.True(ApiKeyFormat.TryParse(issued.Key, out string keyId));
        Assert.Equal(issued.KeyId, keyId);
        Assert.Equal(ApiKeyFormat.Length, issued.Key.Length);
        Assert.StartsWith("blp_bk_", issued.Key, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^blp_bk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$"), issued.Key);
        Assert.Matches(new Regex(@"^bk_[0-9A-Za-z]{8}$"), issued.KeyId);
    }

    [Fact]
    public void Generate_TwoKeys_DifferInSecretAndKeyId()
    {
        IssuedApiKey a = ApiKeyFormat.Generate();
        IssuedApiKey b = ApiKeyFormat.Generate();

        Assert.NotEqual(a.Key, b.Key);
        Assert.NotEqual(a.KeyId, b.KeyId);
        Assert.NotEqual(a.Key.Substring(16, 43), b.Key.Substring(16, 43));
    }

    [Fact]
    public void TryParse_AnyOneCharacterChanged_Rejected()
    {
        string key = ApiKeyFormat.Generate().Key;
        for (int i = 0; i < key.Length; i++)
        {
            char replacement = key[i] == 'a' ? 'b' : 'a';
            string changed = string.Concat(key.AsSpan(0, i), [replacement], key.AsSpan(i + 1));

            Assert.False(ApiKeyFormat.TryParse(changed, out _), $"a change at index {i} was accepted");
        }
    }

    [Fact]
    public void TryParse_SecretCharacterChangedWithinAlphabet_ChecksumRejects()
    {
        string key = ApiKeyFormat.Generate().Key;
        char original = key[30];
        char replacement = original == 'Z' ? 'Y' : 'Z';
        string changed = string.Concat(key.AsSpan(0, 30), [replacement], key.AsSpan(31));

        Assert.False(ApiKeyFormat.TryParse(changed, out _));
        // The same string with a recomputed checksum is well-formed: the checksum is what rejected it.
        string rechecked = string.Concat(changed.AsSpan(0, 59), "_", ApiKeyFormat.Checksum(changed.AsSpan(0, 59)));
        Assert.True(ApiKeyFormat.TryParse(rechecked, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("blp_")]
    [InlineData("sk-proj-0123456789")]
    [InlineData("blp_bk_abc")]
    public void TryParse_Junk_Rejected(string key)
    {
        Assert.False(ApiKeyFormat.TryParse(key, out _));
    }

    [Fact]
    public void TryParse_TrailingWhitespaceOrExtraCharacter_Rejected()
    {
        string key = ApiKeyFormat.Generate().Key;

        Assert.False(ApiKeyFormat.TryParse(key + " ", out _));
        Assert.False(ApiKeyFormat.TryParse(key + "x", out _));
        Assert.False(ApiKeyFormat.TryParse(key.AsSpan(0, key.Length - 1), out _));
    }

    [Fact]
    public void Digest_Key_IsLowercaseHexSha256OfAsciiBytes()
    {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyFormat.Digest("abc"));
        IssuedApiKey issued = ApiKeyFormat.Generate();
        Assert.Equal(ApiKeyFormat.Digest(issued.Key), issued.Digest);
        Assert.Matches(new Regex("^[0-9a-f]{64}$"), issued.Digest);
    }

    [Fact]
    public void Crc32_CheckValue_MatchesIeeeStandard()
    {
        // The CRC-32/ISO-HDLC check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"));
    }

    [Fact]
    public void Base62_MaximumSecret_FitsIn43Digits()
    {
        byte[] max = Enumerable.Repeat((byte)0xFF, 32).ToArray();

        string encoded = Base62.Encode(max, ApiKeyFormat.SecretLength);

        Assert.Equal(43, encoded.Length);
        Assert.Equal(new string('0', 43), Base62.Encode(new byte[32], 43));
        Assert.Throws<ArgumentOutOfRangeException>(() => Base62.Encode(max, 42));
    }

    [Fact]
    public void IssuedApiKey_ToString_DoesNotRevealKeyOrDigest()
    {
        IssuedApiKey issued = ApiKeyFormat.Generate();

        string text = issued.ToString();

        Assert.DoesNotContain(issued.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Digest, text, StringComparison.Ordinal);
        Assert.Contains(issued.KeyId, text, StringComparison.Ordinal);
    }
}
