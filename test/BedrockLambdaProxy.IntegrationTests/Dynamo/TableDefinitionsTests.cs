using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

public sealed class TableDefinitionsTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task EnsureTablesAsync_TablesExist_CreatesNothingAndToleratesMissingTtlApi()
    {
        TableSetupResult again = await TableDefinitions.EnsureTablesAsync(dynamo.Client, dynamo.Tables, CancellationToken.None);

        Assert.Empty(again.Created);
        // dynalite answers UnknownOperationException to the TTL calls.
        Assert.Null(again.RateLimitsTtlEnabled);
    }

    [Fact]
    public async Task EnsureTablesAsync_NewPrefix_CreatesFourActiveOnDemandTables()
    {
        TableNames names = TableNames.WithPrefix("t" + Guid.NewGuid().ToString("N")[..8] + "-");

        TableSetupResult result = await TableDefinitions.EnsureTablesAsync(dynamo.Client, names, CancellationToken.None);

        Assert.Equal(names.All.Order(StringComparer.Ordinal), result.Created.Order(StringComparer.Ordinal));
        foreach (string table in names.All)
        {
            TableDescription description = (await dynamo.Client.DescribeTableAsync(table)).Table;
            Assert.Equal("ACTIVE", description.TableStatus.Value);
            Assert.Equal("PAY_PER_REQUEST", description.BillingModeSummary?.BillingMode?.Value);
        }
    }

    [Fact]
    public async Task ApiKeysTable_KeySchemaAndIndexes_MatchLayout()
    {
        TableDescription keys = (await dynamo.Client.DescribeTableAsync(dynamo.Tables.ApiKeys)).Table;
        TableDescription usage = (await dynamo.Client.DescribeTableAsync(dynamo.Tables.Usage)).Table;

        Assert.Equal(["keyDigest:HASH"], keys.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        GlobalSecondaryIndexDescription byCustomer = keys.GlobalSecondaryIndexes.Single(i => i.IndexName == "byCustomer");
        Assert.Equal(["customerId:HASH", "keyId:RANGE"], byCustomer.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        GlobalSecondaryIndexDescription byKeyId = keys.GlobalSecondaryIndexes.Single(i => i.IndexName == "byKeyId");
        Assert.Equal(["keyId:HASH"], byKeyId.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        Assert.Equal(["pk:HASH", "sk:RANGE"], usage.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
    }
}
