using System.Security.Cryptography;
using System.Text;

namespace BedrockSimulator.Scripts;

/// <summary>
/// Deterministic stand-ins for embedding vectors: the same text (and Cohere input type) always gives the same vector,
/// different texts different ones, so tests can check order, encodings and batching. Seeded from SHA-256 of the text;
/// unit length when normalized, as Titan's <c>normalize</c> (default true) and Cohere's vectors are.
/// </summary>
internal static class EmbeddingVectors
{
    public static float[] For(string text, string salt, int dimensions, bool normalize)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + text));
        ulong state = BitConverter.ToUInt64(hash, 0) | 1;
        var vector = new float[dimensions];
        double sum = 0;
        for (int i = 0; i < dimensions; i++)
        {
            // xorshift64*: cheap and good enough to spread values over [-1, 1).
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            ulong bits = state * 0x2545F4914F6CDD1DUL;
            double value = (bits >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
            vector[i] = (float)value;
            sum += value * value;
        }
        if (normalize && sum > 0)
        {
            double length = Math.Sqrt(sum);
            for (int i = 0; i < dimensions; i++)
            {
                vector[i] = (float)(vector[i] / length);
            }
        }
        return vector;
    }
}
