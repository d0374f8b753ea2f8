namespace BedrockLambdaProxy.Auth;

/// <summary>What revoking a key id did.</summary>
internal enum RevokeOutcome
{
    Revoked,
    AlreadyRevoked,
    NotFound,
}
