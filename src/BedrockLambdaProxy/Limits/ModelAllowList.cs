namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Whether a customer may call a model: an empty list allows any model. An entry is one of
/// <list type="bullet">
/// <item>a model id (<c>anthropic.claude-haiku-4-5-20251001-v1:0</c>): that model, and its cross-region inference
/// profiles (<c>us.</c>, <c>eu.</c>, <c>apac.</c>, <c>global.</c>… + the id), which run the same model;</item>
/// <item>an inference profile id (<c>us.anthropic.claude-haiku-4-5-20251001-v1:0</c>): that profile only;</item>
/// <item>a family, ending in <c>*</c> (<c>anthropic.claude-sonnet-4*</c>): every model id starting with the text
/// before the <c>*</c>, and their profiles; a family that names a profile prefix (<c>us.anthropic.*</c>) admits
/// only ids with that prefix.</item>
/// </list>
/// Matching is ordinal (Bedrock ids are case-sensitive). ARNs are compared by their final resource segment, so
/// <c>arn:aws:bedrock:us-east-1::foundation-model/X</c> and <c>X</c> are the same entry either way round.
/// </summary>
internal static class ModelAllowList
{
    public static bool IsAllowed(IReadOnlyList<string> allowed, string modelId)
    {
        if (allowed.Count == 0)
        {
            return true;
        }
        string requested = FoundationModelId.ResourceOf(modelId);
        string model = FoundationModelId.WithoutProfilePrefix(requested);
        foreach (string entry in allowed)
        {
            string listed = FoundationModelId.ResourceOf(entry);
            bool matches = listed.EndsWith('*')
                ? requested.StartsWith(listed[..^1], StringComparison.Ordinal) || model.StartsWith(listed[..^1], StringComparison.Ordinal)
                : string.Equals(listed, requested, StringComparison.Ordinal) || string.Equals(listed, model, StringComparison.Ordinal);
            if (matches)
            {
                return true;
            }
        }
        return false;
    }
}
