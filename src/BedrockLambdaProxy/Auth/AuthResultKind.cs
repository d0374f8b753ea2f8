namespace BedrockLambdaProxy.Auth;

/// <summary>How authentication of one request ended.</summary>
internal enum AuthResultKind
{
    Success,
    /// <summary>No Authorization header (or an empty one).</summary>
    Missing,
    /// <summary>Not <c>Bearer &lt;key&gt;</c>, or the key fails the format/checksum check.</summary>
    Malformed,
    /// <summary>An AWS SigV4 signature: the caller used AWS credentials instead of a proxy key.</summary>
    SigV4Signed,
    UnknownKey,
    Revoked,
    Expired,
    CustomerSuspended,
    /// <summary>DynamoDB could not be asked and nothing usable was cached.</summary>
    Unavailable,
}
