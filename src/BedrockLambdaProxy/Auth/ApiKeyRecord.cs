namespace BedrockLambdaProxy.Auth;

/// <summary>
/// An item of the API keys table. <see cref="Digest"/> is the table key; it is never shown to
/// operators nor logged (the key id identifies a key to humans).
/// </summary>
internal sealed record ApiKeyRecord
{
    public required string Digest { get; init; }
    public required string KeyId { get; init; }
    public required string CustomerId { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Null: never expires. Rotation sets it to the end of the grace period.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    /// <summary>The key that replaced this one (rotation), if any.</summary>
    public string? RotatedTo { get; init; }
    /// <summary>The key this one replaced (rotation), if any.</summary>
    public string? RotatedFrom { get; init; }
    /// <summary>
    /// The key's own limits, applied inside its customer's (docs/LIMITS.md, Per-key limits); null when the key
    /// has none, which costs its requests nothing beyond the customer's admission.
    /// </summary>
    public CustomerLimits? Limits { get; init; }

    public bool IsActive => Status == ApiKeyStatus.Active;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>What an operator sees: revoked, expired or active.</summary>
    public string DisplayStatusAt(DateTimeOffset now) =>
        !IsActive ? Status : IsExpiredAt(now) ? "expired" : ApiKeyStatus.Active;

    public override string ToString() => $"ApiKeyRecord {{ KeyId = {KeyId}, CustomerId = {CustomerId}, Status = {Status} }}";
}
