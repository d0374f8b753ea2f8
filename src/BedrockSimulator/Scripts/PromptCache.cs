using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BedrockSimulator.Scripts;

/// <summary>
/// Deterministic prompt caching. The cached prefix of a request is every counted input text up to its last
/// cache breakpoint (<c>cache_control</c> on an Anthropic block, a Converse <c>cachePoint</c> block); its tokens
/// are its words (the token rules without the +3). The first request with a given model id and prefix writes it
/// (<c>cacheWriteInputTokens</c>), every later one reads it (<c>cacheReadInputTokens</c>); either way those tokens
/// leave <c>inputTokens</c>, as on Bedrock, where inputTokens counts only what the cache did not cover. Entries
/// never expire and there is no minimum prefix length, so tests stay exact.
/// </summary>
internal sealed class PromptCache
{
    private readonly ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);

    /// <summary>The reply with its input tokens split into uncached, cache-read and cache-write parts.</summary>
    public ScriptedReply Apply(string modelId, JsonElement root, ScriptedReply reply)
    {
        var texts = RequestText.CountedTexts(root, out var cachedTexts);
        var prefix = texts.Take(cachedTexts).ToList();
        var tokens = prefix.Sum(TokenRules.Words);
        if (tokens == 0)
        {
            return reply;
        }

        var key = modelId + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', prefix))));
        var written = _written.TryAdd(key, 0);
        return reply with
        {
            InputTokens = reply.InputTokens - tokens,
            CacheWriteInputTokens = written ? tokens : 0,
            CacheReadInputTokens = written ? 0 : tokens,
        };
    }
}
