namespace BedrockLambdaProxy.Limits;

/// <summary>Whether a customer may call a model: an empty list allows any model.</summary>
internal static class ModelAllowList
{
    /// <summary>
    /// Matches exact ids (ordinal, case-sensitive as Bedrock is) and ARNs by their final resource
    /// segment, so <c>anthropic.claude-3-haiku-20240307-v1:0</c> on the list allows
    /// <c>arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0</c> and back.
    /// </summary>
    public static bool IsAllowed(IReadOnlyList<string> allowed, string modelId)
    {
        if (allowed.Count == 0)
        {
            return true;
        }
        string requested = ResourceOf(modelId);
        foreach (string entry in allowed)
        {
            if (string.Equals(entry, modelId, StringComparison.Ordinal)
                || string.Equals(ResourceOf(entry), requested, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static string ResourceOf(string id)
    {
        if (!id.StartsWith("arn:", StringComparison.Ordinal))
        {
            return id;
        }
        int slash = id.LastIndexOf('/');
        return slash >= 0 ? id[(slash + 1)..] : id;
    }
}
