namespace BedrockLambdaProxy.Auth;

/// <summary>A rotation: the new key (shown once) and until when the old one keeps working.</summary>
internal sealed record RotationResult(IssuedApiKey NewKey, ApiKeyRecord NewRecord, string OldKeyId, DateTimeOffset OldKeyExpiresAt);
