using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage;

/// <summary>
/// Key schemas of the proxy's tables (template.yaml declares the same ones for AWS) and an
/// idempotent set-up for local stacks and the admin tool's <c>tables create</c>.
/// </summary>
internal static class TableDefinitions
{
    /// <summary>GSI on the API keys table: customerId (hash) + keyId (range), for listing a customer's keys.</summary>
    public const string KeysByCustomerIndex = "byCustomer";
    /// <summary>GSI on the API keys table: keyId (hash), so an operator can revoke a key by its id alone.</summary>
    public const string KeysByKeyIdIndex = "byKeyId";
    /// <summary>Epoch-seconds TTL attribute of the rate-limits table.</summary>
    public const string RateLimitsTtlAttribute = "expiresAt";

    public static CreateTableRequest Customers(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition("customerId", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("customerId", KeyType.HASH)],
    };

    public static CreateTableRequest ApiKeys(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition("keyDigest", ScalarAttributeType.S),
            new AttributeDefinition("customerId", ScalarAttributeType.S),
            new AttributeDefinition("keyId", ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement("keyDigest", KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = KeysByCustomerIndex,
                KeySchema = [new KeySchemaElement("customerId", KeyType.HASH), new KeySchemaElement("keyId", KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
            new GlobalSecondaryIndex
            {
                IndexName = KeysByKeyIdIndex,
                KeySchema = [new KeySchemaElement("keyId", KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
        ],
    };

    public static CreateTableRequest RateLimits(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
    };

    public static CreateTableRequest Usage(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition("pk", ScalarAttributeType.S),
            new AttributeDefinition("sk", ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
    };

    public static IReadOnlyList<CreateTableRequest> All(TableNames names) =>
        [Customers(names.Customers), ApiKeys(names.ApiKeys), RateLimits(names.RateLimits), Usage(names.Usage)];

    /// <summary>
    /// Creates the tables that do not exist yet, waits until all are ACTIVE (indexes included)
    /// and enables TTL on the rate-limits table where the server supports it.
    /// </summary>
    public static async Task<TableSetupResult> EnsureTablesAsync(IAmazonDynamoDB db, TableNames names, CancellationToken ct)
    {
        var created = new List<string>();
        foreach (CreateTableRequest request in All(names))
        {
            if (await CreateIfMissingAsync(db, request, ct).ConfigureAwait(false))
            {
                created.Add(request.TableName);
            }
        }
        foreach (string table in names.All)
        {
            await WaitUntilActiveAsync(db, table, ct).ConfigureAwait(false);
        }
        bool? ttl = await TryEnableTtlAsync(db, names.RateLimits, RateLimitsTtlAttribute, ct).ConfigureAwait(false);
        return new TableSetupResult(created, ttl);
    }

    private static async Task<bool> CreateIfMissingAsync(IAmazonDynamoDB db, CreateTableRequest request, CancellationToken ct)
    {
        try
        {
            await db.DescribeTableAsync(request.TableName, ct).ConfigureAwait(false);
            return false;
        }
        catch (ResourceNotFoundException)
        {
        }
        try
        {
            await db.CreateTableAsync(request, ct).ConfigureAwait(false);
            return true;
        }
        catch (ResourceInUseException)
        {
            // Another set-up created it between our describe and create: that is the goal anyway.
            return false;
        }
    }

    private static async Task WaitUntilActiveAsync(IAmazonDynamoDB db, string table, CancellationToken ct)
    {
        // AWS takes seconds to minutes, dynalite half a second; the caller's token bounds the wait.
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            TableDescription description = (await db.DescribeTableAsync(table, ct).ConfigureAwait(false)).Table;
            bool indexesActive = description.GlobalSecondaryIndexes is null
                || description.GlobalSecondaryIndexes.TrueForAll(index => index.IndexStatus == IndexStatus.ACTIVE);
            if (description.TableStatus == TableStatus.ACTIVE && indexesActive)
            {
                return;
            }
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }

    /// <summary>True when TTL is (now) enabled, null when the server has no TTL API (dynalite).</summary>
    private static async Task<bool?> TryEnableTtlAsync(IAmazonDynamoDB db, string table, string attribute, CancellationToken ct)
    {
        try
        {
            DescribeTimeToLiveResponse current = await db.DescribeTimeToLiveAsync(
                new DescribeTimeToLiveRequest { TableName = table }, ct).ConfigureAwait(false);
            TimeToLiveStatus? status = current.TimeToLiveDescription?.TimeToLiveStatus;
            if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING)
            {
                // Enabling again is a ValidationException on AWS, so only ask when it is off.
                return true;
            }
            await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = attribute, Enabled = true },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "UnknownOperationException")
        {
            // dynalite implements neither TTL call; expired counters are then simply never
            // deleted, which the rate limiter tolerates because it checks expiresAt itself.
            return null;
        }
    }
}
