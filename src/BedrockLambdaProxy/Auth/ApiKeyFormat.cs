using System.Security.Cryptography;
using System.Text;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// The API key format. A key is 66 ASCII characters:
/// <code>
///   blp_bk_K7f3Qm2x_&lt;43 base62 secret&gt;_&lt;6 base62 checksum&gt;
///   └──┘└─────────┘ └──────────────────┘ └─────────────────┘
///   prefix  key id    32 random bytes      CRC-32 of the 59 characters before it
/// </code>
/// The prefix makes leaked keys easy to find (regex
/// <c>\bblp_bk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}\b</c>); the checksum lets a secret
/// scanner confirm a match offline and lets the proxy reject typos and junk without a DynamoDB
/// call. The key id (<c>bk_</c> + 8 base62) is not secret: operators see it in listings and
/// logs. The secret carries 256 bits from <see cref="RandomNumberGenerator"/>. Only the SHA-256
/// of the whole key (lowercase hex) is stored.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "blp_";
    public const string KeyIdPrefix = "bk_";
    public const int KeyIdRandomLength = 8;
    public const int SecretBytes = 32;
    /// <summary>62^43 is just above 2^256, so 43 digits hold any 32-byte secret.</summary>
    public const int SecretLength = 43;
    /// <summary>62^6 is above 2^32, so 6 digits hold any CRC-32.</summary>
    public const int ChecksumLength = 6;
    public const int KeyIdLength = 3 + KeyIdRandomLength;
    public const int Length = 4 + KeyIdLength + 1 + SecretLength + 1 + ChecksumLength;

    private const int KeyIdStart = 4;
    private const int SecretStart = KeyIdStart + KeyIdLength + 1;
    private const int ChecksumStart = SecretStart + SecretLength + 1;

    /// <summary>Makes a new key; the caller stores <see cref="IssuedApiKey.Digest"/> and shows the key once.</summary>
    public static IssuedApiKey Generate()
    {
        string keyId = NewKeyId();
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        string body = Prefix + keyId + "_" + Base62.Encode(secret, SecretLength);
        CryptographicOperations.ZeroMemory(secret);
        string key = body + "_" + Checksum(body);
        return new IssuedApiKey(key, keyId, Digest(key));
    }

    /// <summary>A key id: <c>bk_</c> and 8 random base62 characters.</summary>
    public static string NewKeyId()
    {
        return KeyIdPrefix + RandomNumberGenerator.GetString(Base62.Alphabet, KeyIdRandomLength);
    }

    /// <summary>True when <paramref name="key"/> has the format and a matching checksum.</summary>
    public static bool TryParse(ReadOnlySpan<char> key, out string keyId)
    {
        keyId = "";
        if (key.Length != Length
            || !key.StartsWith(Prefix, StringComparison.Ordinal)
            || !IsKeyId(key.Slice(KeyIdStart, KeyIdLength))
            || key[SecretStart - 1] != '_'
            || !Base62.AllDigits(key.Slice(SecretStart, SecretLength))
            || key[ChecksumStart - 1] != '_'
            || !Base62.AllDigits(key.Slice(ChecksumStart, ChecksumLength)))
        {
            return false;
        }
        if (!key.Slice(ChecksumStart).SequenceEqual(Checksum(key.Slice(0, ChecksumStart - 1))))
        {
            return false;
        }
        keyId = key.Slice(KeyIdStart, KeyIdLength).ToString();
        return true;
    }

    public static bool IsKeyId(ReadOnlySpan<char> keyId)
    {
        return keyId.Length == KeyIdLength
            && keyId.StartsWith(KeyIdPrefix, StringComparison.Ordinal)
            && Base62.AllDigits(keyId.Slice(KeyIdPrefix.Length));
    }

    /// <summary>Lowercase hex SHA-256 of the key's ASCII bytes: the only form a key is stored in.</summary>
    public static string Digest(ReadOnlySpan<char> key)
    {
        Span<byte> ascii = key.Length <= 256 ? stackalloc byte[key.Length] : new byte[key.Length];
        int written = Encoding.ASCII.GetBytes(key, ascii);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(ascii.Slice(0, written), hash);
        return Convert.ToHexStringLower(hash);
    }

    internal static string Checksum(ReadOnlySpan<char> body)
    {
        return Base62.Encode(new System.Numerics.BigInteger(Crc32.Compute(body)), ChecksumLength);
    }
}
