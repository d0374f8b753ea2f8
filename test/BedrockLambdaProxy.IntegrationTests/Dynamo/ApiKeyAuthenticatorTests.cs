using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>The authenticator against real dynalite tables, with a manual clock for the cache.</summary>
public sealed class ApiKeyAuthenticatorTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private readonly AuthTestBed _bed = new(dynamo);

    [Fact]
    public async Task AuthenticateAsync_IssuedKey_SuccessWithCustomerContext()
    {
        var limits = new CustomerLimits(60, 100_000, 1_000_000, 30_000_000);
        CustomerRecord customer = await _bed.CreateCustomerAsync(limits, ["anthropic.claude-3-haiku-20240307-v1:0"]);
        IssuedApiKey key = await _bed.IssueAsync(customer.CustomerId);

        AuthResult result = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, result.Kind);
        Assert.Equal(200, result.StatusCode);
        CustomerContext context = Assert.IsType<CustomerContext>(result.Customer);
        Assert.Equal(customer.CustomerId, context.CustomerId);
        Assert.Equal(key.KeyId, context.KeyId);
        Assert.Equal(limits, context.Limits);
        Assert.Equal(["anthropic.claude-3-haiku-20240307-v1:0"], context.AllowedModels);
    }

    [Fact]
    public async Task AuthenticateAsync_LowercaseBearer_Success()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey key = await _bed.IssueAsync(customer.CustomerId);

        AuthResult result = await _bed.NewAuthenticator().AuthenticateAsync("bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, result.Kind);
        Assert.Equal(CustomerLimits.None, result.Customer!.Limits);
        Assert.Empty(result.Customer.AllowedModels);
    }

    [Fact]
    public async Task AuthenticateAsync_WellFormedUnknownKey_Unknown401()
    {
        string neverIssued = ApiKeyFormat.Generate().Key;

        AuthResult result = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + neverIssued, CancellationToken.None);

        Assert.Equal(AuthResultKind.UnknownKey, result.Kind);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", result.WwwAuthenticate);
        Assert.DoesNotContain(neverIssued, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedKey_AcceptedInsideCacheTtlRejectedAfter()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey key = await _bed.IssueAsync(customer.CustomerId);
        ApiKeyAuthenticator warm = _bed.NewAuthenticator();
        Assert.True((await warm.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);

        Assert.Equal(RevokeOutcome.Revoked, await _bed.Issuer.RevokeAsync(key.KeyId, CancellationToken.None));
        _bed.Time.Advance(AuthTestBed.Ttl - TimeSpan.FromSeconds(1));
        AuthResult inside = await warm.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(2));
        AuthResult after = await warm.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        AuthResult cold = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, inside.Kind);
        Assert.Equal(AuthResultKind.Revoked, after.Kind);
        Assert.Equal(401, after.StatusCode);
        Assert.Equal(AuthResultKind.Revoked, cold.Kind);
        Assert.Equal(RevokeOutcome.AlreadyRevoked, await _bed.Issuer.RevokeAsync(key.KeyId, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateAsync_KeyPastExpiry_Expired401EvenWhenCached()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey key = await _bed.IssueAsync(customer.CustomerId, lifetime: TimeSpan.FromDays(1));
        ApiKeyAuthenticator warm = _bed.NewAuthenticator();
        Assert.True((await warm.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);

        // Expiry is checked on every use, so it is exact even for a cached key.
        _bed.Time.Advance(TimeSpan.FromDays(1));
        AuthResult cached = await warm.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        AuthResult cold = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Expired, cached.Kind);
        Assert.Equal(AuthResultKind.Expired, cold.Kind);
        Assert.Equal(401, cold.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_SuspendedCustomer_Forbidden403UntilResumed()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey key = await _bed.IssueAsync(customer.CustomerId);
        Assert.True(await _bed.Customers.SetStatusAsync(customer.CustomerId, CustomerStatus.Suspended, CancellationToken.None));

        AuthResult suspended = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        Assert.True(await _bed.Customers.SetStatusAsync(customer.CustomerId, CustomerStatus.Active, CancellationToken.None));
        AuthResult resumed = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.CustomerSuspended, suspended.Kind);
        Assert.Equal(403, suspended.StatusCode);
        Assert.Null(suspended.WwwAuthenticate);
        Assert.Equal(AuthResultKind.Success, resumed.Kind);
    }

    [Fact]
    public async Task AuthenticateAsync_RotatedKey_OldWorksWithinGraceNotAfter()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey old = await _bed.IssueAsync(customer.CustomerId);

        RotationResult rotation = await _bed.Issuer.RotateAsync(old.KeyId, TimeSpan.FromHours(24), null, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromHours(23));
        AuthResult oldWithin = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + old.Key, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromHours(1));
        AuthResult oldAfter = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + old.Key, CancellationToken.None);
        AuthResult newAfter = await _bed.NewAuthenticator().AuthenticateAsync("Bearer " + rotation.NewKey.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, oldWithin.Kind);
        Assert.Equal(old.KeyId, oldWithin.Customer!.KeyId);
        Assert.Equal(AuthResultKind.Expired, oldAfter.Kind);
        Assert.Equal(AuthResultKind.Success, newAfter.Kind);
        Assert.Equal(customer.CustomerId, newAfter.Customer!.CustomerId);
        Assert.Equal(rotation.NewKey.KeyId, newAfter.Customer.KeyId);
        ApiKeyRecord stored = (await _bed.Keys.FindByKeyIdAsync(old.KeyId, CancellationToken.None))!;
        Assert.Equal(rotation.NewKey.KeyId, stored.RotatedTo);
        await Assert.ThrowsAsync<KeyManagementException>(() =>
            _bed.Issuer.RotateAsync(old.KeyId, TimeSpan.FromHours(1), null, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownKeyStoredLater_AcceptedOnceNegativeCacheExpires()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        IssuedApiKey key = ApiKeyFormat.Generate();
        ApiKeyAuthenticator authenticator = _bed.NewAuthenticator();
        AuthResult before = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.True(await _bed.Keys.PutNewAsync(new ApiKeyRecord
        {
            Digest = key.Digest, KeyId = key.KeyId, CustomerId = customer.CustomerId,
            Status = ApiKeyStatus.Active, CreatedAt = _bed.Time.GetUtcNow(),
        }, CancellationToken.None));
        AuthResult stillNegative = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        _bed.Time.Advance(ApiKeyAuthenticator.NegativeTtl);
        AuthResult after = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.UnknownKey, before.Kind);
        Assert.Equal(AuthResultKind.UnknownKey, stillNegative.Kind);
        Assert.Equal(AuthResultKind.Success, after.Kind);
    }

    [Fact]
    public async Task IssueAsync_UnknownCustomer_Throws()
    {
        var error = await Assert.ThrowsAsync<KeyManagementException>(() =>
            _bed.Issuer.IssueAsync("cus_doesnotexist", null, CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListByCustomerAsync_TwoKeys_ListsBothWithoutOtherCustomers()
    {
        CustomerRecord customer = await _bed.CreateCustomerAsync();
        CustomerRecord other = await _bed.CreateCustomerAsync();
        IssuedApiKey a = await _bed.IssueAsync(customer.CustomerId);
        IssuedApiKey b = await _bed.IssueAsync(customer.CustomerId);
        await _bed.IssueAsync(other.CustomerId);

        var listed = new List<string>();
        await foreach (ApiKeyRecord record in _bed.Keys.ListByCustomerAsync(customer.CustomerId, CancellationToken.None))
        {
            listed.Add(record.KeyId);
        }

        Assert.Equal(new[] { a.KeyId, b.KeyId }.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task AuthenticateAsync_WarmKey_NoDynamoDbCallUntilTtlPasses()
    {
        using var counting = new CountingDynamoClient(dynamo.Endpoint);
        var bed = new AuthTestBed(dynamo, counting);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey key = await bed.IssueAsync(customer.CustomerId);
        ApiKeyAuthenticator authenticator = bed.NewAuthenticator();

        int before = counting.GetItemCalls;
        await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        int cold = counting.GetItemCalls - before;
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);
            bed.Time.Advance(TimeSpan.FromSeconds(10));
        }
        int warm = counting.GetItemCalls - before - cold;
        bed.Time.Advance(TimeSpan.FromSeconds(10));
        await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        int refreshed = counting.GetItemCalls - before - cold - warm;

        Assert.Equal(2, cold);
        Assert.Equal(0, warm);
        Assert.Equal(2, refreshed);
    }
}
