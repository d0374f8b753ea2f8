namespace BedrockLambdaProxy.Limits;

/// <summary>
/// The foundation model behind whatever a caller names: a model id (<c>anthropic.claude-…</c>), a
/// cross-region inference profile (<c>us.anthropic.…</c>, <c>global.…</c>) or an ARN of either. Used
/// by the allow-list and to look up per-family defaults; never sent anywhere.
/// </summary>
internal static class FoundationModelId
{
    /// <summary>Cross-region (geographic and global) inference profile prefixes Bedrock puts before a model id.</summary>
    private static readonly string[] ProfilePrefixes = ["us.", "us-gov.", "eu.", "apac.", "jp.", "au.", "ca.", "global."];

    /// <summary>
    /// The model id without an ARN's prefix or a profile's geography, lower-cased:
    /// <c>arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-x</c> → <c>anthropic.claude-x</c>.
    /// An application inference profile's ARN names no model (its id is opaque) and comes back as that id.
    /// </summary>
    public static string Of(string modelId) => WithoutProfilePrefix(ResourceOf(modelId).ToLowerInvariant());

    /// <summary>The model id an inference profile id runs (<c>us.anthropic.x</c> → <c>anthropic.x</c>); other ids unchanged.</summary>
    public static string WithoutProfilePrefix(string id) =>
        ProfilePrefixOf(id) is { } prefix ? id[prefix.Length..] : id;

    /// <summary>The cross-region profile prefix <paramref name="id"/> starts with (<c>us.</c>, <c>global.</c>, …), or null.</summary>
    public static string? ProfilePrefixOf(string id)
    {
        foreach (string prefix in ProfilePrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix;
            }
        }
        return null;
    }

    /// <summary>An ARN's final resource segment (<c>…:foundation-model/X</c> → <c>X</c>); other ids unchanged.</summary>
    public static string ResourceOf(string id)
    {
        if (!id.StartsWith("arn:", StringComparison.OrdinalIgnoreCase))
        {
            return id;
        }
        int slash = id.LastIndexOf('/');
        return slash >= 0 ? id[(slash + 1)..] : id;
    }
}
