namespace BedrockLambdaProxy.Auth;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of API keys. Written here
/// because System.IO.Hashing is not among the project's packages; keys are ASCII, so the input is chars.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<char> ascii)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (char c in ascii)
        {
            crc = Table[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? 0xEDB88320u ^ (value >> 1) : value >> 1;
            }
            table[i] = value;
        }
        return table;
    }
}
