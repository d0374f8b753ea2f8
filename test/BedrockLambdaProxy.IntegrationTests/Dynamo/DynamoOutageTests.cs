using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>DynamoDB going away under a warm authenticator: cached keys keep working, others get 503 quickly.</summary>
public sealed class DynamoOutageTests(PersistentDynaliteFixture dynamo) : IClassFixture<PersistentDynaliteFixture>
{
    // A failure guard, not a measurement: with a 2 s timeout and 2 retries an answer comes far sooner.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AuthenticateAsync_DynamoDbStopped_CachedKeyWorksOthersUnavailable()
    {
        await dynamo.StartAsync();
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey warmKey = await bed.IssueAsync(customer.CustomerId);
        IssuedApiKey coldKey = await bed.IssueAsync(customer.CustomerId);
        ApiKeyAuthenticator authenticator = bed.NewAuthenticator(staleIfError: TimeSpan.FromMinutes(5));
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None)).IsSuccess);

        await dynamo.StopAsync();
        try
        {
            AuthResult cold = await authenticator.AuthenticateAsync("Bearer " + coldKey.Key, CancellationToken.None).WaitAsync(Guard);
            AuthResult warm = await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None).WaitAsync(Guard);
            bed.Time.Advance(AuthTestBed.Ttl + TimeSpan.FromMinutes(4));
            AuthResult stale = await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None).WaitAsync(Guard);
            bed.Time.Advance(TimeSpan.FromMinutes(1));
            AuthResult tooStale = await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None).WaitAsync(Guard);

            Assert.Equal(AuthResultKind.Unavailable, cold.Kind);
            Assert.Equal(503, cold.StatusCode);
            Assert.DoesNotContain(coldKey.Digest, cold.FailureDetail!, StringComparison.Ordinal);
            Assert.Equal(AuthResultKind.Success, warm.Kind);
            Assert.Equal(AuthResultKind.Success, stale.Kind);
            Assert.Equal(AuthResultKind.Unavailable, tooStale.Kind);
        }
        finally
        {
            await dynamo.StartAsync();
        }

        // Back up, with its data: both keys authenticate again.
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None).WaitAsync(Guard)).IsSuccess);
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + coldKey.Key, CancellationToken.None).WaitAsync(Guard)).IsSuccess);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedThenDynamoDbDown_DefaultWindowEndsAtTtlPlus60Seconds()
    {
        await dynamo.StartAsync();
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey key = await bed.IssueAsync(customer.CustomerId);
        // What the function builds from its settings when AUTH_STALE_IF_ERROR_SECONDS is not set.
        ApiKeyAuthenticator authenticator = bed.NewAuthenticator(new ProxySettings { Region = "us-east-1" }.AuthStaleIfError);
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);
        Assert.Equal(RevokeOutcome.Revoked, await bed.Issuer.RevokeAsync(key.KeyId, CancellationToken.None));

        await dynamo.StopAsync();
        try
        {
            bed.Time.Advance(AuthTestBed.Ttl + TimeSpan.FromSeconds(59));
            AuthResult stale = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard);
            bed.Time.Advance(TimeSpan.FromSeconds(1));
            AuthResult after = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard);

            // Documented: a revocation waits at most AUTH_CACHE_SECONDS + AUTH_STALE_IF_ERROR_SECONDS (60 s by default).
            Assert.Equal(TimeSpan.FromSeconds(60), ApiKeyAuthenticator.DefaultStaleIfError);
            Assert.Equal(AuthResultKind.Success, stale.Kind);
            Assert.Equal(AuthResultKind.Unavailable, after.Kind);
        }
        finally
        {
            await dynamo.StartAsync();
        }
        Assert.Equal(AuthResultKind.Revoked, (await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard)).Kind);
    }

    [Fact]
    public async Task AuthenticateAsync_StaleIfErrorZero_SuspensionHonouredAtTheTtlWhateverDynamoDbDoes()
    {
        await dynamo.StartAsync();
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey key = await bed.IssueAsync(customer.CustomerId);
        ApiKeyAuthenticator authenticator = bed.NewAuthenticator(staleIfError: TimeSpan.Zero);
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);
        Assert.True(await bed.Customers.SetStatusAsync(customer.CustomerId, CustomerStatus.Suspended, CancellationToken.None));

        await dynamo.StopAsync();
        try
        {
            bed.Time.Advance(AuthTestBed.Ttl - TimeSpan.FromSeconds(1));
            AuthResult inside = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard);
            bed.Time.Advance(TimeSpan.FromSeconds(1));
            AuthResult atTtl = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard);
            // A failure just seen must not let the cached entry back in either.
            AuthResult again = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard);

            Assert.Equal(AuthResultKind.Success, inside.Kind);
            Assert.Equal(AuthResultKind.Unavailable, atTtl.Kind);
            Assert.Equal(AuthResultKind.Unavailable, again.Kind);
        }
        finally
        {
            await dynamo.StartAsync();
        }
        Assert.Equal(AuthResultKind.CustomerSuspended, (await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None).WaitAsync(Guard)).Kind);
    }

    [Fact]
    public async Task AuthenticateAsync_CallerCancelsWhileDynamoDbDown_ThrowsInsteadOfUnavailable()
    {
        await dynamo.StartAsync();
        var bed = new AuthTestBed(dynamo);
        string key = ApiKeyFormat.Generate().Key;
        await dynamo.StopAsync();
        try
        {
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                bed.NewAuthenticator().AuthenticateAsync("Bearer " + key, cancelled.Token).WaitAsync(Guard));
        }
        finally
        {
            await dynamo.StartAsync();
        }
    }

    [Fact]
    public async Task AuthenticateAsync_DynamoDbHanging_UnavailableAfterTimeoutsAndStaleKeyServed()
    {
        await dynamo.StartAsync();
        using var counting = new CountingDynamoClient(dynamo.Endpoint);
        var bed = new AuthTestBed(dynamo, counting);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey warmKey = await bed.IssueAsync(customer.CustomerId);
        IssuedApiKey coldKey = await bed.IssueAsync(customer.CustomerId);
        ApiKeyAuthenticator authenticator = bed.NewAuthenticator();
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None)).IsSuccess);
        bed.Time.Advance(AuthTestBed.Ttl);

        await dynamo.FreezeAsync();
        try
        {
            // The lookup budget ends the wait: a hung DynamoDB yields a 503, not a request stuck for
            // the client's timeouts and retries (7 s before the budget) or until the Lambda deadline.
            // The bound is 2.5 times the budget: a guard against hanging, not a speed measurement.
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            AuthResult cold = await authenticator.AuthenticateAsync("Bearer " + coldKey.Key, CancellationToken.None).WaitAsync(Guard);
            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < ApiKeyAuthenticator.LookupBudget * 2.5, "the lookup outlived its budget");
            int callsAfterFailure = counting.GetItemCalls;
            // The failure just seen lets the stale warm key skip DynamoDB instead of waiting again.
            AuthResult stale = await authenticator.AuthenticateAsync("Bearer " + warmKey.Key, CancellationToken.None).WaitAsync(Guard);

            Assert.Equal(AuthResultKind.Unavailable, cold.Kind);
            Assert.Equal(AuthResultKind.Success, stale.Kind);
            Assert.Equal(callsAfterFailure, counting.GetItemCalls);
        }
        finally
        {
            await dynamo.ThawAsync();
        }
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + coldKey.Key, CancellationToken.None).WaitAsync(Guard)).IsSuccess);
    }
}
