using System.Buffers.Binary;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of API keys and of every
/// event-stream frame Bedrock sends. Written here because System.IO.Hashing is not among the
/// project's packages. Bytes are taken eight at a time ("slicing-by-8"): every relayed byte of a
/// streamed answer is checked once, and the byte-at-a-time loop was a measurable share of the relay.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTables();

    /// <summary>Of ASCII text (API keys), one char per byte.</summary>
    public static uint Compute(ReadOnlySpan<char> ascii)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (char c in ascii)
        {
            crc = Table[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        uint[] t = Table;
        while (bytes.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(bytes) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            crc = t[(7 * 256) + (low & 0xFF)] ^ t[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((low >> 16) & 0xFF)] ^ t[(4 * 256) + (low >> 24)]
                ^ t[(3 * 256) + (high & 0xFF)] ^ t[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            bytes = bytes[8..];
        }
        foreach (byte b in bytes)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    /// <summary>Table k (at k × 256) maps a byte to its CRC contribution k bytes further on.</summary>
    private static uint[] BuildTables()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? 0xEDB88320u ^ (value >> 1) : value >> 1;
            }
            table[i] = value;
        }
        for (int i = 0; i < 256; i++)
        {
            for (int k = 1; k < 8; k++)
            {
                uint previous = table[((k - 1) * 256) + i];
                table[(k * 256) + i] = table[previous & 0xFF] ^ (previous >> 8);
            }
        }
        return table;
    }
}
