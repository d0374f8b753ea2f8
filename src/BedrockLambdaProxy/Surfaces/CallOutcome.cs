using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>How a proxied call ended: what the usage record and the token settlement need.</summary>
/// <param name="HttpStatus">The status the caller saw (200 for a stream that started, even if it failed later).</param>
/// <param name="ErrorType">Null on success; otherwise the AWS-style error type, or ClientCancelled / DeadlineExceeded.</param>
/// <param name="Tokens">Bedrock's own counts, or null when Bedrock never reported them.</param>
internal sealed record CallOutcome(int HttpStatus, string? ErrorType, TokenUsage? Tokens, double? TimeToFirstTokenMs);
