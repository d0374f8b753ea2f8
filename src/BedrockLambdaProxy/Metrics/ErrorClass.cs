namespace BedrockLambdaProxy.Metrics;

/// <summary>Who caused a failed request: the one question an on-call operator asks first.</summary>
internal enum ErrorClass
{
    /// <summary>Answered normally (a caller that left mid-stream is not an error either).</summary>
    None,
    /// <summary>The caller's mistake or limit: bad key, bad body, model not allowed, over a customer limit, Bedrock's validation.</summary>
    Client,
    /// <summary>Bedrock failed or could not be reached after retries and failover: throttling, 5xx, not ready, timeout, a broken stream.</summary>
    Bedrock,
    /// <summary>The proxy itself: an unexpected exception, DynamoDB unreachable, the function's deadline, its IAM role or credentials.</summary>
    Proxy,
}
