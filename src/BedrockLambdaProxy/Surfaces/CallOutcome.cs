using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>How a proxied call ended: what the usage record and the token settlement need.</summary>
/// <param name="HttpStatus">The status the caller saw (200 for a stream that started, even if it failed later).</param>
/// <param name="ErrorType">Null on success; otherwise the AWS-style error type, or ClientCancelled / DeadlineExceeded.</param>
/// <param name="Tokens">Bedrock's own counts, an estimate (<see cref="TokensEstimated"/>), or null when Bedrock was never charged (it refused before answering).</param>
internal sealed record CallOutcome(int HttpStatus, string? ErrorType, TokenUsage? Tokens, double? TimeToFirstTokenMs)
{
    /// <summary>True when <see cref="Tokens"/> is the proxy's estimate because Bedrock's counts never arrived.</summary>
    public bool TokensEstimated { get; init; }
}
