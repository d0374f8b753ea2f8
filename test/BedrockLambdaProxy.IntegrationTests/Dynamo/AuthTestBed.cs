using Amazon.DynamoDBv2;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>Stores, issuer and a manually driven clock over one dynalite, for auth scenarios.</summary>
internal sealed class AuthTestBed
{
    /// <param name="client">The client the stores use; the fixture's by default.</param>
    public AuthTestBed(DynaliteFixture dynamo, IAmazonDynamoDB? client = null)
    {
        Keys = new ApiKeyStore(client ?? dynamo.Client, dynamo.Tables);
        Customers = new CustomerStore(client ?? dynamo.Client, dynamo.Tables);
        Issuer = new ApiKeyIssuer(Keys, Customers, Time);
    }

    public static TimeSpan Ttl { get; } = TimeSpan.FromSeconds(60);

    public ManualTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public ApiKeyStore Keys { get; }
    public CustomerStore Customers { get; }
    public ApiKeyIssuer Issuer { get; }

    /// <summary>A new authenticator (its own empty cache) on the shared clock.</summary>
    public ApiKeyAuthenticator NewAuthenticator(TimeSpan? staleIfError = null) =>
        new(Keys, Customers, Ttl, Time, staleIfError);

    public async Task<CustomerRecord> CreateCustomerAsync(CustomerLimits? limits = null, IReadOnlyList<string>? models = null)
    {
        var customer = new CustomerRecord
        {
            CustomerId = "cus_" + Guid.NewGuid().ToString("N")[..12],
            Name = "Test customer",
            Status = CustomerStatus.Active,
            CreatedAt = Time.GetUtcNow(),
            Limits = limits ?? CustomerLimits.None,
            AllowedModels = models ?? [],
        };
        Assert.True(await Customers.CreateAsync(customer, CancellationToken.None));
        return customer;
    }

    public async Task<IssuedApiKey> IssueAsync(string customerId, TimeSpan? lifetime = null)
    {
        (IssuedApiKey key, _) = await Issuer.IssueAsync(customerId, lifetime, CancellationToken.None);
        return key;
    }
}
