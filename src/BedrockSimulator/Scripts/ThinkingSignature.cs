using System.Security.Cryptography;
using System.Text;

namespace BedrockSimulator.Scripts;

/// <summary>
/// The simulator's thinking-block signatures: an HMAC of the thinking text under a key only the simulator knows,
/// as Anthropic's signatures are opaque and verified upstream. A later turn that sends the block back changed by
/// a single byte (thinking or signature) fails verification, so a test proves the proxy relays both exactly.
/// </summary>
internal static class ThinkingSignature
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("bedrock-simulator-thinking-signature-v1");

    public static string Sign(string thinking) =>
        Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(thinking)));

    /// <summary>The one redacted thinking block the simulator issues (base64, as Converse carries redactedContent).</summary>
    public static string RedactedData { get; } = Sign("redacted thinking");

    public static bool IsValid(string thinking, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(Sign(thinking)), Encoding.UTF8.GetBytes(signature));
}
