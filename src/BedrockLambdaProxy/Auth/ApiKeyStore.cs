using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Auth;

/// <summary>The API keys table: one item per key, keyed by the key's SHA-256 digest.</summary>
internal sealed class ApiKeyStore(IAmazonDynamoDB db, TableNames tables)
{
    private const string DigestAttr = "keyDigest";
    private const string KeyIdAttr = "keyId";
    private const string CustomerIdAttr = "customerId";
    private const string StatusAttr = "status";
    private const string CreatedAtAttr = "createdAt";
    private const string ExpiresAtAttr = "expiresAt";
    private const string RevokedAtAttr = "revokedAt";
    private const string RotatedToAttr = "rotatedTo";
    private const string RotatedFromAttr = "rotatedFrom";
    private const string LimitsAttr = LimitsMap.Attribute;

    /// <summary>The key with this digest, or null. The authenticator reads eventually consistent (cheaper).</summary>
    public async Task<ApiKeyRecord?> GetByDigestAsync(string digest, bool consistentRead, CancellationToken ct)
    {
        GetItemResponse response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = tables.ApiKeys,
            Key = new Dictionary<string, AttributeValue> { [DigestAttr] = DynamoItem.S(digest) },
            ConsistentRead = consistentRead,
        }, ct).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    /// <summary>Stores a new key; false if an item with this digest already exists.</summary>
    public async Task<bool> PutNewAsync(ApiKeyRecord record, CancellationToken ct)
    {
        try
        {
            await db.PutItemAsync(new PutItemRequest
            {
                TableName = tables.ApiKeys,
                Item = ToItem(record),
                ConditionExpression = "attribute_not_exists(#d)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#d"] = DigestAttr },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>A customer's keys in key id order, through the byCustomer index.</summary>
    public async IAsyncEnumerable<ApiKeyRecord> ListByCustomerAsync(string customerId, [EnumeratorCancellation] CancellationToken ct)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse page = await db.QueryAsync(new QueryRequest
            {
                TableName = tables.ApiKeys,
                IndexName = TableDefinitions.KeysByCustomerIndex,
                KeyConditionExpression = "#c = :c",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#c"] = CustomerIdAttr },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":c"] = DynamoItem.S(customerId) },
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

    /// <summary>The current state of the key with this id (a consistent read), or null.</summary>
    public async Task<ApiKeyRecord?> FindByKeyIdAsync(string keyId, CancellationToken ct)
    {
        QueryResponse response = await db.QueryAsync(new QueryRequest
        {
            TableName = tables.ApiKeys,
            IndexName = TableDefinitions.KeysByKeyIdIndex,
            KeyConditionExpression = "#k = :k",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#k"] = KeyIdAttr },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":k"] = DynamoItem.S(keyId) },
        }, ct).ConfigureAwait(false);
        if (response.Items is not { Count: > 0 } items)
        {
            return null;
        }
        // The index is KEYS_ONLY and eventually consistent: read the item itself for its state.
        string digest = DynamoItem.RequireString(items[0], DigestAttr);
        return await GetByDigestAsync(digest, consistentRead: true, ct).ConfigureAwait(false);
    }

    /// <summary>Marks the key revoked; false when it does not exist or was already revoked.</summary>
    public async Task<bool> RevokeAsync(string digest, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.ApiKeys,
                Key = new Dictionary<string, AttributeValue> { [DigestAttr] = DynamoItem.S(digest) },
                UpdateExpression = "SET #s = :revoked, #r = :now",
                ConditionExpression = "attribute_exists(#d) AND #s <> :revoked",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#s"] = StatusAttr, ["#r"] = RevokedAtAttr, ["#d"] = DigestAttr,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":revoked"] = DynamoItem.S(ApiKeyStatus.Revoked), [":now"] = DynamoItem.Time(now),
                },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Records that <paramref name="digest"/>'s key was replaced and lets it expire at
    /// <paramref name="expiresAt"/>; false when the key is no longer active (revoked meanwhile).
    /// </summary>
    public async Task<bool> MarkRotatedAsync(string digest, string newKeyId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.ApiKeys,
                Key = new Dictionary<string, AttributeValue> { [DigestAttr] = DynamoItem.S(digest) },
                UpdateExpression = "SET #e = :expires, #t = :next",
                ConditionExpression = "#s = :active",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#e"] = ExpiresAtAttr, ["#t"] = RotatedToAttr, ["#s"] = StatusAttr,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":expires"] = DynamoItem.Time(expiresAt),
                    [":next"] = DynamoItem.S(newKeyId),
                    [":active"] = DynamoItem.S(ApiKeyStatus.Active),
                },
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the key's own limits (none: the attribute is removed, and the key costs no extra write again);
    /// false when the key does not exist. Running functions apply it within the auth cache time.
    /// </summary>
    public async Task<bool> SetLimitsAsync(string digest, CustomerLimits? limits, CancellationToken ct)
    {
        bool any = limits is { Any: true };
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tables.ApiKeys,
                Key = new Dictionary<string, AttributeValue> { [DigestAttr] = DynamoItem.S(digest) },
                UpdateExpression = any ? "SET #l = :l" : "REMOVE #l",
                ConditionExpression = "attribute_exists(#d)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#l"] = LimitsAttr, ["#d"] = DigestAttr },
                ExpressionAttributeValues = any
                    ? new Dictionary<string, AttributeValue> { [":l"] = new AttributeValue { M = LimitsMap.ToMap(limits!) } }
                    : null,
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> ToItem(ApiKeyRecord record)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [DigestAttr] = DynamoItem.S(record.Digest),
            [KeyIdAttr] = DynamoItem.S(record.KeyId),
            [CustomerIdAttr] = DynamoItem.S(record.CustomerId),
            [StatusAttr] = DynamoItem.S(record.Status),
            [CreatedAtAttr] = DynamoItem.Time(record.CreatedAt),
        };
        if (record.ExpiresAt is { } expires)
        {
            item[ExpiresAtAttr] = DynamoItem.Time(expires);
        }
        if (record.RevokedAt is { } revoked)
        {
            item[RevokedAtAttr] = DynamoItem.Time(revoked);
        }
        if (record.RotatedTo is { } to)
        {
            item[RotatedToAttr] = DynamoItem.S(to);
        }
        if (record.RotatedFrom is { } from)
        {
            item[RotatedFromAttr] = DynamoItem.S(from);
        }
        if (record.Limits is { Any: true } limits)
        {
            item[LimitsAttr] = new AttributeValue { M = LimitsMap.ToMap(limits) };
        }
        return item;
    }

    private static ApiKeyRecord FromItem(Dictionary<string, AttributeValue> item) => new()
    {
        Digest = DynamoItem.RequireString(item, DigestAttr),
        KeyId = DynamoItem.RequireString(item, KeyIdAttr),
        CustomerId = DynamoItem.RequireString(item, CustomerIdAttr),
        Status = DynamoItem.RequireString(item, StatusAttr),
        CreatedAt = DynamoItem.GetTime(item, CreatedAtAttr) ?? DateTimeOffset.UnixEpoch,
        ExpiresAt = DynamoItem.GetTime(item, ExpiresAtAttr),
        RevokedAt = DynamoItem.GetTime(item, RevokedAtAttr),
        RotatedTo = DynamoItem.GetString(item, RotatedToAttr),
        RotatedFrom = DynamoItem.GetString(item, RotatedFromAttr),
        Limits = DynamoItem.GetMap(item, LimitsAttr) is { Count: > 0 } limits ? LimitsMap.FromMap(limits) : null,
    };
}
