using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>What an issued key leaves in the API keys table, read back raw.</summary>
public sealed class ApiKeyStoreTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task IssueAsync_NewKey_StoresDigestAndMetadataButNeverTheKey()
    {
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync();
        IssuedApiKey key = await bed.IssueAsync(customer.CustomerId, lifetime: TimeSpan.FromDays(7));

        ScanResponse scan = await dynamo.Client.ScanAsync(new ScanRequest { TableName = dynamo.Tables.ApiKeys });
        Dictionary<string, AttributeValue> item = scan.Items.Single(i => i["keyId"].S == key.KeyId);

        Assert.Equal(ApiKeyFormat.Digest(key.Key), item["keyDigest"].S);
        Assert.Equal(customer.CustomerId, item["customerId"].S);
        Assert.Equal("active", item["status"].S);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["createdAt"].S);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["expiresAt"].S);
        string secret = key.Key.Substring(16, ApiKeyFormat.SecretLength);
        foreach (Dictionary<string, AttributeValue> any in scan.Items)
        {
            foreach (AttributeValue value in any.Values)
            {
                Assert.DoesNotContain(secret, value.S ?? "", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task FindByKeyIdAsync_UnknownId_Null()
    {
        var bed = new AuthTestBed(dynamo);

        Assert.Null(await bed.Keys.FindByKeyIdAsync(ApiKeyFormat.NewKeyId(), CancellationToken.None));
    }
}
