namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>
/// One way to break a request, as a row of <see cref="CorpusTables.Mutations"/>: which surfaces it applies to,
/// what it changes, who must refuse it, and (when fixed) the status and a piece of the message.
/// <see cref="MessageFor"/> words that piece per surface where a surface speaks its API's own language (OpenAI's
/// "Invalid type for 'max_tokens'", Anthropic's "stream: Input should be a valid boolean").
/// </summary>
internal sealed record CorpusMutation(
    string Name,
    string Category,
    Func<CorpusSurface, Outcome> RefusedBy,
    Action<CorpusRequest> Apply,
    int? Status = null,
    string? MessageContains = null,
    Func<CorpusSurface, bool>? AppliesTo = null,
    Func<CorpusSurface, string?>? MessageFor = null)
{
    public bool Fits(CorpusSurface surface) => AppliesTo?.Invoke(surface) ?? true;

    /// <summary>The piece of the message expected on <paramref name="surface"/>: its own wording, else the common one.</summary>
    public string? Message(CorpusSurface surface) => MessageFor?.Invoke(surface) ?? MessageContains;

    public override string ToString() => Category + "/" + Name;
}
