using System.Security.Cryptography;
using System.Text;

namespace BedrockSimulator.Faults;

/// <summary>Default request key: a hash of operation, model id and body, so a retried request keeps its key.</summary>
internal static class RequestKeys
{
    public static string FromBody(string operation, string modelId, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(operation + "\n" + modelId + "\n"));
        hash.AppendData(body);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
