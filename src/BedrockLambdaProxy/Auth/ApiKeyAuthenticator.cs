using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// Turns an Authorization header into a customer. Malformed keys are refused without I/O (format
/// and checksum); a key seen within the cache TTL costs no DynamoDB round trip, so a revocation
/// takes effect within that TTL while DynamoDB answers, and within the TTL plus the stale-if-error
/// window (AUTH_STALE_IF_ERROR_SECONDS) when it does not. A cold key costs two round trips: the key's GetItem, then
/// the customer, in one BatchGetItem with the admission counter item when this instance has not seen the customer's
/// counters yet (<see cref="ICustomerCompanionItem"/>).
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    public const int DefaultCapacity = 10_000;
    /// <summary>Unknown keys are remembered briefly so a misconfigured client looping on one bad key costs little.</summary>
    public static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How long past its TTL a cached key may still be honoured while DynamoDB is failing, unless
    /// AUTH_STALE_IF_ERROR_SECONDS says otherwise: the longest a revocation can wait beyond the TTL.
    /// </summary>
    public static readonly TimeSpan DefaultStaleIfError = TimeSpan.FromSeconds(60);
    /// <summary>
    /// After a failed lookup, cached-but-stale keys are served without asking DynamoDB for this
    /// long, so a hanging DynamoDB (each attempt waits for its timeout) does not slow every request.
    /// </summary>
    public static readonly TimeSpan StoreBackoff = TimeSpan.FromSeconds(5);

    private readonly ApiKeyStore _keys;
    private readonly CustomerStore _customers;
    private readonly ICustomerCompanionItem? _companion;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly TtlCache<AuthCacheEntry> _known;
    private readonly TtlCache<bool> _unknown;
    private long _storeFailedAtTicks = long.MinValue;

    /// <param name="companion">Read with a cold key's customer (the admission counters); null reads the customer alone.</param>
    public ApiKeyAuthenticator(IAmazonDynamoDB db, ProxySettings settings, TimeProvider time, ICustomerCompanionItem? companion = null)
        : this(new ApiKeyStore(db, TableNames.FromSettings(settings)), new CustomerStore(db, TableNames.FromSettings(settings)),
            settings.AuthCacheTtl, time, settings.AuthStaleIfError, companion: companion)
    {
    }

    /// <param name="staleIfError">
    /// Serving a key past its TTL during a DynamoDB outage trades a late revocation (bounded by
    /// this window) for availability; null uses <see cref="DefaultStaleIfError"/>, zero disables it.
    /// </param>
    /// <param name="companion">Read with a cold key's customer in one BatchGetItem; null reads the customer alone.</param>
    public ApiKeyAuthenticator(ApiKeyStore keys, CustomerStore customers, TimeSpan cacheTtl, TimeProvider time,
        TimeSpan? staleIfError = null, int capacity = DefaultCapacity, ICustomerCompanionItem? companion = null)
    {
        _keys = keys;
        _customers = customers;
        _companion = companion;
        _time = time;
        _ttl = cacheTtl;
        TimeSpan retention = cacheTtl > TimeSpan.Zero ? cacheTtl + (staleIfError ?? DefaultStaleIfError) : TimeSpan.Zero;
        _known = new TtlCache<AuthCacheEntry>(time, retention, capacity);
        _unknown = new TtlCache<bool>(time, cacheTtl < NegativeTtl ? cacheTtl : NegativeTtl, Math.Max(1, capacity / 10));
    }

    /// <summary>The most a cold key's lookup (key, then customer) may take before the answer is 503.</summary>
    public static readonly TimeSpan LookupBudget = TimeSpan.FromSeconds(2);

    public async Task<AuthResult> AuthenticateAsync(string? authorizationHeader, CancellationToken ct)
    {
        switch (AuthorizationHeader.Parse(authorizationHeader, out string token))
        {
            case AuthorizationHeader.Shape.Missing:
                return AuthResult.Missing;
            case AuthorizationHeader.Shape.SigV4:
                return AuthResult.SigV4Signed;
            case AuthorizationHeader.Shape.NotBearer:
                return AuthResult.NotBearer;
            case AuthorizationHeader.Shape.Multiple:
                return AuthResult.MultipleCredentials;
        }
        if (!ApiKeyFormat.TryParse(token, out _))
        {
            return AuthResult.MalformedKey;
        }
        string digest = ApiKeyFormat.Digest(token);
        bool cached = _known.TryGet(digest, out AuthCacheEntry entry, out TimeSpan age);
        if (cached && (age < _ttl || StoreRecentlyFailed()))
        {
            return Evaluate(entry);
        }
        if (_unknown.TryGet(digest, out _, out _))
        {
            return AuthResult.UnknownKey;
        }
        AuthCacheEntry? fetched;
        // A DynamoDB that hangs (rather than refusing) would otherwise hold the request for the
        // client's timeout times its retries; past the budget the key counts as unavailable.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(LookupBudget);
        try
        {
            fetched = await LookUpAsync(digest, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e, ct))
        {
            Interlocked.Exchange(ref _storeFailedAtTicks, _time.GetUtcNow().UtcTicks);
            return cached ? Evaluate(entry) : AuthResult.Unavailable(Describe(e));
        }
        if (fetched is null)
        {
            _known.Remove(digest);
            _unknown.Set(digest, true);
            return AuthResult.UnknownKey;
        }
        _known.Set(digest, fetched);
        return Evaluate(fetched);
    }

    private bool StoreRecentlyFailed()
    {
        long failedAt = Interlocked.Read(ref _storeFailedAtTicks);
        return failedAt != long.MinValue && _time.GetUtcNow().UtcTicks - failedAt < StoreBackoff.Ticks;
    }

    private async Task<AuthCacheEntry?> LookUpAsync(string digest, CancellationToken ct)
    {
        ApiKeyRecord? key = await _keys.GetByDigestAsync(digest, consistentRead: false, ct).ConfigureAwait(false);
        // The lookup was by digest already; comparing in constant time as well keeps this safe
        // should the key ever be read by another path (a prefix scan, an index).
        if (key is null || !FixedTimeEquals(key.Digest, digest))
        {
            return null;
        }
        if (!key.IsActive || key.IsExpiredAt(_time.GetUtcNow()))
        {
            return new AuthCacheEntry(key, null, null);
        }
        CustomerRecord? customer = _companion is { } companion
            ? await _customers.GetWithCompanionAsync(key.CustomerId, companion, key, ct).ConfigureAwait(false)
            : await _customers.GetAsync(key.CustomerId, consistentRead: false, ct).ConfigureAwait(false);
        CustomerContext? context = customer is null
            ? null
            : new CustomerContext(customer.CustomerId, key.KeyId, customer.Limits, customer.AllowedModels) { KeyLimits = key.Limits };
        return new AuthCacheEntry(key, customer, context);
    }

    /// <summary>Status and expiry are checked on every use, so an expiry inside the TTL is exact.</summary>
    private AuthResult Evaluate(AuthCacheEntry entry)
    {
        if (!entry.Key.IsActive)
        {
            return AuthResult.Revoked;
        }
        if (entry.Key.IsExpiredAt(_time.GetUtcNow()))
        {
            return AuthResult.Expired;
        }
        if (entry.Customer is null || entry.Context is null)
        {
            // The key's customer no longer exists: the key is as good as unknown.
            return AuthResult.UnknownKey;
        }
        return entry.Customer.IsActive ? AuthResult.Success(entry.Context) : AuthResult.CustomerSuspended;
    }

    private static bool FixedTimeEquals(string stored, string computed)
    {
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(computed));
    }

    private static bool IsStoreFailure(Exception e, CancellationToken ct)
    {
        return e switch
        {
            // The caller going away is not an outage: let it propagate.
            OperationCanceledException => !ct.IsCancellationRequested,
            AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException
                // The SDK reports its per-attempt Timeout as TimeoutException.
                or TimeoutException => true,
            _ => false,
        };
    }

    /// <summary>Type and AWS error code only: SDK messages may quote request details.</summary>
    private static string Describe(Exception e)
    {
        return e is AmazonServiceException service
            ? $"{e.GetType().Name} ({service.ErrorCode}, HTTP {(int)service.StatusCode})"
            : e.GetType().Name;
    }
}
