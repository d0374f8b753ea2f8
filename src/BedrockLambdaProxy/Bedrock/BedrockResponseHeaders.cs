using System.Net.Http.Headers;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The response headers the proxy passes on to its caller: Content-Type, x-amzn-RequestId and every
/// X-Amzn-Bedrock-* header (token counts, latency, trace, performance config, content type).
/// </summary>
internal sealed class BedrockResponseHeaders
{
    public const string InputTokenCount = "X-Amzn-Bedrock-Input-Token-Count";
    public const string OutputTokenCount = "X-Amzn-Bedrock-Output-Token-Count";
    public const string InvocationLatency = "X-Amzn-Bedrock-Invocation-Latency";
    public const string CacheReadInputTokenCount = "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";
    public const string CacheWriteInputTokenCount = "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";
    public const string RequestId = "x-amzn-RequestId";
    public const string ContentType = "Content-Type";

    private const string BedrockPrefix = "X-Amzn-Bedrock-";

    public static BedrockResponseHeaders Empty { get; } = new([]);

    public BedrockResponseHeaders(IReadOnlyList<KeyValuePair<string, string>> all)
    {
        All = all;
    }

    /// <summary>The pass-through headers in the order Bedrock sent them, names as Bedrock spelled them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> All { get; }

    /// <summary>Case-insensitive lookup; null when Bedrock did not send the header.</summary>
    public string? Get(string name)
    {
        foreach (KeyValuePair<string, string> header in All)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    /// <summary>Keeps only the headers worth passing on; hop-by-hop and transport headers stay behind.</summary>
    public static BedrockResponseHeaders From(HttpResponseMessage response)
    {
        var kept = new List<KeyValuePair<string, string>>();
        Collect(response.Headers, kept);
        Collect(response.Content.Headers, kept);
        return new BedrockResponseHeaders(kept);
    }

    private static void Collect(HttpHeaders headers, List<KeyValuePair<string, string>> kept)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            if (IsPassThrough(header.Key))
            {
                kept.Add(new(header.Key, header.Value.ToString()));
            }
        }
    }

    private static bool IsPassThrough(string name) =>
        name.StartsWith(BedrockPrefix, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ContentType, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, RequestId, StringComparison.OrdinalIgnoreCase);
}
