using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Auth;

/// <summary>The customers table: one item per customer with status, limits and allowed models.</summary>
internal sealed class CustomerStore(IAmazonDynamoDB db, TableNames tables)
{
    private const string IdAttr = "customerId";
    private const string NameAttr = "name";
    private const string StatusAttr = "status";
    private const string CreatedAtAttr = "createdAt";
    private const string LimitsAttr = LimitsMap.Attribute;
    private const string ModelsAttr = "allowedModels";

    public async Task<CustomerRecord?> GetAsync(string customerId, bool consistentRead, CancellationToken ct)
    {
        GetItemResponse response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = tables.Customers,
            Key = Key(customerId),
            ConsistentRead = consistentRead,
        }, ct).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    /// <summary>
    /// The customer (eventually consistent, as <see cref="GetAsync"/>) and <paramref name="companion"/>'s item for it in
    /// one BatchGetItem: one round trip instead of two. A key DynamoDB leaves unprocessed is not retried here: the
    /// customer is then read alone, and the companion is not told (its owner reads the item itself when it needs it).
    /// </summary>
    public async Task<CustomerRecord?> GetWithCompanionAsync(
        string customerId, ICustomerCompanionItem companion, ApiKeyRecord? key, CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? counterKey = companion.Wants(customerId) ? companion.KeyFor(customerId) : null;
        Dictionary<string, AttributeValue>? keyCounterKey = key is null ? null : companion.KeyItemFor(key);
        if ((counterKey is null && keyCounterKey is null) || string.Equals(companion.TableName, tables.Customers, StringComparison.Ordinal))
        {
            // Nothing to read beside the customer; or one table, which cannot carry two read consistencies in one
            // BatchGetItem (never so in a deployed stack).
            return await GetAsync(customerId, consistentRead: false, ct).ConfigureAwait(false);
        }
        var companionKeys = new List<Dictionary<string, AttributeValue>>(2);
        if (counterKey is not null)
        {
            companionKeys.Add(counterKey);
        }
        if (keyCounterKey is not null)
        {
            companionKeys.Add(keyCounterKey);
        }
        BatchGetItemResponse response = await db.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new Dictionary<string, KeysAndAttributes>
            {
                [tables.Customers] = new() { Keys = [Key(customerId)], ConsistentRead = false },
                [companion.TableName] = new() { Keys = companionKeys, ConsistentRead = companion.ConsistentRead },
            },
        }, ct).ConfigureAwait(false);
        if (IsUnprocessed(response, tables.Customers))
        {
            return await GetAsync(customerId, consistentRead: false, ct).ConfigureAwait(false);
        }
        CustomerRecord? customer = FindItem(response, tables.Customers, Key(customerId)) is { } item ? FromItem(item) : null;
        if (!IsUnprocessed(response, companion.TableName))
        {
            if (counterKey is not null)
            {
                companion.Accept(customerId, customer, FindItem(response, companion.TableName, counterKey));
            }
            if (keyCounterKey is not null)
            {
                companion.AcceptKeyItem(key!, FindItem(response, companion.TableName, keyCounterKey));
            }
        }
        return customer;
    }

    private static bool IsUnprocessed(BatchGetItemResponse response, string table) =>
        response.UnprocessedKeys is { } unprocessed && unprocessed.TryGetValue(table, out KeysAndAttributes? keys) && keys.Keys is { Count: > 0 };

    /// <summary>The item of <paramref name="table"/>'s answer whose key attributes are <paramref name="itemKey"/>'s, or null.</summary>
    private static Dictionary<string, AttributeValue>? FindItem(
        BatchGetItemResponse response, string table, Dictionary<string, AttributeValue> itemKey)
    {
        if (response.Responses is null || !response.Responses.TryGetValue(table, out List<Dictionary<string, AttributeValue>>? items) || items is null)
        {
            return null;
        }
        foreach (Dictionary<string, AttributeValue> item in items)
        {
            if (item is { Count: > 0 } && itemKey.All(k => item.TryGetValue(k.Key, out AttributeValue? v) && string.Equals(v.S, k.Value.S, StringComparison.Ordinal)))
            {
                return item;
            }
        }
        return null;
    }

    /// <summary>Creates the customer; false when the id is taken.</summary>
    public async Task<bool> CreateAsync(CustomerRecord record, CancellationToken ct)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [IdAttr] = DynamoItem.S(record.CustomerId),
            [NameAttr] = DynamoItem.S(record.Name),
            [StatusAttr] = DynamoItem.S(record.Status),
            [CreatedAtAttr] = DynamoItem.Time(record.CreatedAt),
            // Always a map (possibly empty) so set-limits can SET/REMOVE single entries.
            [LimitsAttr] = new AttributeValue { M = LimitsMap.ToMap(record.Limits) },
        };
        if (record.AllowedModels.Count > 0)
        {
            item[ModelsAttr] = DynamoItem.StringList(record.AllowedModels);
        }
        try
        {
            await db.PutItemAsync(new PutItemRequest
            {
                TableName = tables.Customers,
                Item = item,
                ConditionExpression = "attribute_not_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#id"] = IdAttr },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Every customer (a Scan: an operator's listing, never on the request path).</summary>
    public async IAsyncEnumerable<CustomerRecord> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page = await db.ScanAsync(new ScanRequest
            {
                TableName = tables.Customers,
                ExclusiveStartKey = start,
            }, ct).ConfigureAwait(false);
            foreach (Dictionary<string, AttributeValue> item in page.Items ?? [])
            {
                yield return FromItem(item);
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    /// <summary>Sets active/suspended; false when the customer does not exist.</summary>
    public Task<bool> SetStatusAsync(string customerId, string status, CancellationToken ct)
    {
        return UpdateExistingAsync(customerId, "SET #s = :s",
            new Dictionary<string, string> { ["#s"] = StatusAttr },
            new Dictionary<string, AttributeValue> { [":s"] = DynamoItem.S(status) }, ct);
    }

    /// <summary>
    /// Sets the given limits and removes (makes unlimited) the named ones, leaving the others;
    /// <paramref name="unset"/> holds attribute names such as requestsPerMinute.
    /// </summary>
    public Task<bool> SetLimitsAsync(string customerId, IReadOnlyDictionary<string, long> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        var names = new Dictionary<string, string>();
        var values = new Dictionary<string, AttributeValue>();
        string expression = LimitsMap.Update(set, unset, names, values);
        return UpdateExistingAsync(customerId, expression, names, values.Count > 0 ? values : null, ct);
    }

    /// <summary>Replaces the allow-list; an empty list allows every model.</summary>
    public Task<bool> SetModelsAsync(string customerId, IReadOnlyList<string> models, CancellationToken ct)
    {
        var names = new Dictionary<string, string> { ["#m"] = ModelsAttr };
        return models.Count == 0
            ? UpdateExistingAsync(customerId, "REMOVE #m", names, null, ct)
            : UpdateExistingAsync(customerId, "SET #m = :m", names,
                new Dictionary<string, AttributeValue> { [":m"] = DynamoItem.StringList(models) }, ct);
    }

    private async Task<bool> UpdateExistingAsync(string customerId, string update,
        Dictionary<string, string> names, Dictionary<string, AttributeValue>? values, CancellationToken ct)
    {
        names["#id"] = IdAttr;
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.Customers,
                Key = Key(customerId),
                UpdateExpression = update,
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string customerId) => new() { [IdAttr] = DynamoItem.S(customerId) };

    private static CustomerRecord FromItem(Dictionary<string, AttributeValue> item)
    {
        return new CustomerRecord
        {
            CustomerId = DynamoItem.RequireString(item, IdAttr),
            Name = DynamoItem.GetString(item, NameAttr) ?? "",
            Status = DynamoItem.GetString(item, StatusAttr) ?? CustomerStatus.Suspended,
            CreatedAt = DynamoItem.GetTime(item, CreatedAtAttr) ?? DateTimeOffset.UnixEpoch,
            Limits = LimitsMap.FromMap(DynamoItem.GetMap(item, LimitsAttr)),
            AllowedModels = DynamoItem.GetStringList(item, ModelsAttr),
        };
    }
}
