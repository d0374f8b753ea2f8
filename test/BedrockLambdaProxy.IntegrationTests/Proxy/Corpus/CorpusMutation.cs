namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// One way to break a request, as a row of <see cref="CorpusTables.Mutations"/>: which surfaces it applies to,
/// what it changes, who must refuse it, and (when fixed) the status and a piece of the message.
/// </summary>
internal sealed record CorpusMutation(
    string Name,
    string Category,
    Func<CorpusSurface, Outcome> RefusedBy,
    Action<CorpusRequest> Apply,
    int? Status = null,
    string? MessageContains = null,
    Func<CorpusSurface, bool>? AppliesTo = null)
{
    public bool Fits(CorpusSurface surface) => AppliesTo?.Invoke(surface) ?? true;

    public override string ToString() => Category + "/" + Name;
}
