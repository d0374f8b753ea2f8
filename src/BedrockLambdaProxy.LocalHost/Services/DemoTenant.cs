using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Storage;
using Amazon.DynamoDBv2;

namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>Creates a customer and issues it a key, the way the admin CLI does, for the local stack and tests.</summary>
internal static class DemoTenant
{
    public static async Task<(CustomerRecord Customer, string ApiKey, string KeyId)> CreateAsync(
        IAmazonDynamoDB dynamo, TableNames tables, string customerId, CustomerLimits limits, IReadOnlyList<string> allowedModels,
        CancellationToken cancellationToken)
    {
        var customers = new CustomerStore(dynamo, tables);
        var keys = new ApiKeyStore(dynamo, tables);
        var customer = new CustomerRecord
        {
            CustomerId = customerId,
            Name = customerId,
            Status = CustomerStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow,
            Limits = limits,
            AllowedModels = allowedModels,
        };
        await customers.CreateAsync(customer, cancellationToken).ConfigureAwait(false);
        (IssuedApiKey key, ApiKeyRecord record) = await new ApiKeyIssuer(keys, customers, TimeProvider.System)
            .IssueAsync(customerId, lifetime: null, cancellationToken).ConfigureAwait(false);
        return (customer, key.Key, record.KeyId);
    }
}
