namespace BedrockLambdaProxy.Auth;

/// <summary>Operators' key life cycle: issue, revoke, rotate. Used by the admin tool, never on the request path.</summary>
internal sealed class ApiKeyIssuer(ApiKeyStore keys, CustomerStore customers, TimeProvider time)
{
    /// <summary>How long a rotated key keeps working so clients can switch without downtime.</summary>
    public static readonly TimeSpan DefaultRotationGrace = TimeSpan.FromHours(24);

    /// <summary>
    /// Creates and stores a key for an existing customer; the returned key is its only copy.
    /// <paramref name="limits"/> are the key's own, applied inside the customer's (null or none set: the customer's alone).
    /// </summary>
    public async Task<(IssuedApiKey Key, ApiKeyRecord Record)> IssueAsync(string customerId, TimeSpan? lifetime,
        CancellationToken ct, string? rotatedFrom = null, CustomerLimits? limits = null)
    {
        if (lifetime is { } l && l <= TimeSpan.Zero)
        {
            throw new KeyManagementException("A key's lifetime must be positive.");
        }
        _ = await customers.GetAsync(customerId, consistentRead: true, ct).ConfigureAwait(false)
            ?? throw new KeyManagementException($"Customer '{customerId}' does not exist.");
        DateTimeOffset now = time.GetUtcNow();
        // Key ids carry 47 random bits, so a clash is improbable; checking keeps them unique anyway.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            IssuedApiKey issued = ApiKeyFormat.Generate();
            if (await keys.FindByKeyIdAsync(issued.KeyId, ct).ConfigureAwait(false) is not null)
            {
                continue;
            }
            var record = new ApiKeyRecord
            {
                Digest = issued.Digest,
                KeyId = issued.KeyId,
                CustomerId = customerId,
                Status = ApiKeyStatus.Active,
                CreatedAt = now,
                ExpiresAt = now + lifetime,
                RotatedFrom = rotatedFrom,
                Limits = limits is { Any: true } ? limits : null,
            };
            if (await keys.PutNewAsync(record, ct).ConfigureAwait(false))
            {
                return (issued, record);
            }
        }
        throw new KeyManagementException("Could not generate a unique key; try again.");
    }

    /// <summary>
    /// Sets some of the key's own limits and removes others (<paramref name="set"/> and <paramref name="unset"/> by the
    /// attribute names of <see cref="CustomerLimitAttributes"/>), leaving the rest; returns the key as it now is.
    /// </summary>
    public async Task<ApiKeyRecord> UpdateLimitsAsync(
        string keyId, IReadOnlyDictionary<string, long> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        ApiKeyRecord key = await keys.FindByKeyIdAsync(keyId, ct).ConfigureAwait(false)
            ?? throw new KeyManagementException($"Key '{keyId}' does not exist.");
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> map = LimitsMap.ToMap(key.Limits ?? CustomerLimits.None);
        foreach ((string name, long value) in set)
        {
            map[name] = Storage.DynamoItem.N(value);
        }
        foreach (string name in unset)
        {
            map.Remove(name);
        }
        CustomerLimits limits = LimitsMap.FromMap(map);
        if (!await keys.SetLimitsAsync(key.Digest, limits, ct).ConfigureAwait(false))
        {
            throw new KeyManagementException($"Key '{keyId}' does not exist.");
        }
        return key with { Limits = limits.Any ? limits : null };
    }

    public async Task<RevokeOutcome> RevokeAsync(string keyId, CancellationToken ct)
    {
        ApiKeyRecord? key = await keys.FindByKeyIdAsync(keyId, ct).ConfigureAwait(false);
        if (key is null)
        {
            return RevokeOutcome.NotFound;
        }
        return await keys.RevokeAsync(key.Digest, time.GetUtcNow(), ct).ConfigureAwait(false)
            ? RevokeOutcome.Revoked
            : RevokeOutcome.AlreadyRevoked;
    }

    /// <summary>
    /// Issues a new key for the same customer and lets the old one expire after
    /// <paramref name="grace"/> (or earlier, if it was due to expire sooner anyway).
    /// </summary>
    public async Task<RotationResult> RotateAsync(string keyId, TimeSpan grace, TimeSpan? newLifetime, CancellationToken ct)
    {
        if (grace < TimeSpan.Zero)
        {
            throw new KeyManagementException("The grace period cannot be negative.");
        }
        ApiKeyRecord old = await keys.FindByKeyIdAsync(keyId, ct).ConfigureAwait(false)
            ?? throw new KeyManagementException($"Key '{keyId}' does not exist.");
        DateTimeOffset now = time.GetUtcNow();
        if (!old.IsActive)
        {
            throw new KeyManagementException($"Key '{keyId}' is revoked; issue a new key instead.");
        }
        if (old.IsExpiredAt(now))
        {
            throw new KeyManagementException($"Key '{keyId}' has expired; issue a new key instead.");
        }
        if (old.RotatedTo is { } successor)
        {
            throw new KeyManagementException($"Key '{keyId}' was already rotated to '{successor}'.");
        }
        (IssuedApiKey newKey, ApiKeyRecord newRecord) = await IssueAsync(old.CustomerId, newLifetime, ct, rotatedFrom: old.KeyId, limits: old.Limits)
            .ConfigureAwait(false);
        DateTimeOffset oldExpires = now + grace;
        if (old.ExpiresAt is { } earlier && earlier < oldExpires)
        {
            oldExpires = earlier;
        }
        // No transactions (dynalite has none): new key first, so a failure never leaves the
        // customer without a working key; if the old key was revoked meanwhile, undo the new one.
        if (!await keys.MarkRotatedAsync(old.Digest, newKey.KeyId, oldExpires, ct).ConfigureAwait(false))
        {
            await keys.RevokeAsync(newRecord.Digest, now, ct).ConfigureAwait(false);
            throw new KeyManagementException($"Key '{keyId}' changed while rotating (revoked?); nothing was rotated.");
        }
        return new RotationResult(newKey, newRecord, old.KeyId, oldExpires);
    }
}
