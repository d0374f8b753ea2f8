using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace BedrockLambdaProxy.Tests.Fakes;

/// <summary>
/// Just enough DynamoDB for the stores' PutItem, GetItem and BatchGetItem (items keyed by table and key
/// values, no expressions), and a switch that makes every call fail as an unreachable DynamoDB does.
/// </summary>
internal sealed class InMemoryDynamo() : AmazonDynamoDBClient(
    new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 })
{
    private readonly Dictionary<string, Dictionary<string, AttributeValue>> _items = [];

    /// <summary>While true, every call throws as a refused connection would.</summary>
    public bool Down { get; set; }

    public int GetItemCalls { get; private set; }

    public int BatchGetItemCalls { get; private set; }

    /// <summary>Tables whose keys BatchGetItem leaves unprocessed (as DynamoDB may under load).</summary>
    public HashSet<string> UnprocessedTables { get; } = [];

    /// <summary>Changes one string attribute of a stored item (a revocation or suspension made elsewhere).</summary>
    public void SetString(string table, string keyValue, string attribute, string value) =>
        _items[table + "/" + keyValue][attribute] = new AttributeValue { S = value };

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        // The stores' tables have a single string hash key, the item's first attribute.
        _items[request.TableName + "/" + request.Item.First().Value.S] = new(request.Item);
        return Task.FromResult(new PutItemResponse());
    }

    public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
    {
        GetItemCalls++;
        ThrowIfDown();
        return Task.FromResult(new GetItemResponse
        {
            Item = _items.TryGetValue(request.TableName + "/" + request.Key.Single().Value.S, out var item) ? new(item) : [],
        });
    }

    public override Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default)
    {
        BatchGetItemCalls++;
        ThrowIfDown();
        var response = new BatchGetItemResponse { Responses = [], UnprocessedKeys = [] };
        foreach ((string table, KeysAndAttributes keys) in request.RequestItems)
        {
            if (UnprocessedTables.Contains(table))
            {
                response.UnprocessedKeys[table] = keys;
                continue;
            }
            response.Responses[table] = [.. keys.Keys
                .Select(key => _items.TryGetValue(table + "/" + key.First().Value.S, out var item) ? new Dictionary<string, AttributeValue>(item) : null)
                .OfType<Dictionary<string, AttributeValue>>()];
        }
        return Task.FromResult(response);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
        }
    }
}
