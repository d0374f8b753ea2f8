namespace BedrockLambdaProxy.Bedrock;

/// <summary>What the proxy answers its own caller for a Bedrock failure before the first byte.</summary>
/// <param name="StatusCode">The HTTP status the proxy returns.</param>
/// <param name="ErrorType">An AWS-style error type, also used as x-amzn-ErrorType on Bedrock-native paths.</param>
/// <param name="Message">A message safe to show the customer.</param>
/// <param name="RetryAfterSeconds">The Retry-After header value, when the caller should come back later.</param>
internal sealed record BedrockProxyError(int StatusCode, string ErrorType, string Message, int? RetryAfterSeconds);
