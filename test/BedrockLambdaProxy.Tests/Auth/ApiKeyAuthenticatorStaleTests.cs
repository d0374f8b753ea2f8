using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Storage;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Auth;

/// <summary>How long a revoked key or suspended customer keeps working when DynamoDB cannot be asked.</summary>
public sealed class ApiKeyAuthenticatorStaleTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private readonly InMemoryDynamo _dynamo = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly TableNames _tables = TableNames.Default;

    [Theory]
    [InlineData(null, 60)] // the default
    [InlineData("0", 0)]
    [InlineData("30", 30)]
    public async Task AuthenticateAsync_RevokedWhileDynamoDbDown_HonouredAtTtlPlusTheSetting(string? setting, int staleSeconds)
    {
        ProxySettings settings = Settings(setting);
        var authenticator = new ApiKeyAuthenticator(_dynamo, settings, _time);
        IssuedApiKey key = await IssueAsync();
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);

        _dynamo.SetString(_tables.ApiKeys, key.Digest, "status", ApiKeyStatus.Revoked);
        _dynamo.Down = true;
        var lastAccepted = TimeSpan.Zero;
        for (var elapsed = TimeSpan.Zero; elapsed <= Ttl + TimeSpan.FromSeconds(120); elapsed += TimeSpan.FromSeconds(1))
        {
            if ((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess)
            {
                lastAccepted = elapsed;
            }
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Accepted for the last time one second before AUTH_CACHE_SECONDS + AUTH_STALE_IF_ERROR_SECONDS.
        Assert.Equal(Ttl + TimeSpan.FromSeconds(staleSeconds) - TimeSpan.FromSeconds(1), lastAccepted);
        _dynamo.Down = false;
        Assert.Equal(AuthResultKind.Revoked, (await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task AuthenticateAsync_SuspendedWhileDynamoDbAnswers_HonouredAtTheTtl()
    {
        var authenticator = new ApiKeyAuthenticator(_dynamo, Settings(null), _time);
        IssuedApiKey key = await IssueAsync();
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None)).IsSuccess);

        _dynamo.SetString(_tables.Customers, "acme", "status", CustomerStatus.Suspended);
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        AuthResult inside = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        AuthResult atTtl = await authenticator.AuthenticateAsync("Bearer " + key.Key, CancellationToken.None);

        Assert.Equal(AuthResultKind.Success, inside.Kind);
        Assert.Equal(AuthResultKind.CustomerSuspended, atTtl.Kind);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("soon")]
    public void FromEnvironment_StaleIfErrorOutOfRange_FailsStartUpNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(value));

        Assert.Contains("AUTH_STALE_IF_ERROR_SECONDS", error.Message, StringComparison.Ordinal);
    }

    private ProxySettings Settings(string? staleIfError) =>
        ProxySettings.FromEnvironment(name => name switch
        {
            "AUTH_CACHE_SECONDS" => "60",
            "AUTH_STALE_IF_ERROR_SECONDS" => staleIfError,
            _ => null,
        });

    private async Task<IssuedApiKey> IssueAsync()
    {
        var customers = new CustomerStore(_dynamo, _tables);
        Assert.True(await customers.CreateAsync(
            new CustomerRecord { CustomerId = "acme", Name = "Acme", Status = CustomerStatus.Active, CreatedAt = _time.GetUtcNow() },
            CancellationToken.None));
        IssuedApiKey key = ApiKeyFormat.Generate();
        Assert.True(await new ApiKeyStore(_dynamo, _tables).PutNewAsync(
            new ApiKeyRecord
            {
                Digest = key.Digest, KeyId = key.KeyId, CustomerId = "acme", Status = ApiKeyStatus.Active, CreatedAt = _time.GetUtcNow(),
            },
            CancellationToken.None));
        return key;
    }
}
