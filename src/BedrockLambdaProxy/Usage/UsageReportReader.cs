using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Usage;

/// <summary>Reads a customer's monthly totals and usage records for the admin tool's reports.</summary>
internal sealed class UsageReportReader
{
    private static readonly string[] Fields =
    [
        UsageItem.Requests, UsageItem.InputTokens, UsageItem.OutputTokens,
        UsageItem.CacheReadInputTokens, UsageItem.CacheWriteInputTokens, UsageItem.Errors, UsageItem.EstimatedRequests,
        UsageItem.CostMicroUsd, UsageItem.UnpricedRequests,
    ];

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _usageTable;
    private readonly string _rateLimitsTable;

    public UsageReportReader(IAmazonDynamoDB dynamo, string usageTable, string rateLimitsTable)
    {
        _dynamo = dynamo;
        _usageTable = usageTable;
        _rateLimitsTable = rateLimitsTable;
    }

    /// <summary>The month's totals, or null when the customer made no recorded request that month.</summary>
    public async Task<MonthlyUsage?> GetMonthAsync(string customerId, string month, CancellationToken ct)
    {
        ValidateMonth(month);
        var names = new Dictionary<string, string>();
        for (int i = 0; i < Fields.Length; i++)
        {
            names["#f" + i] = CounterItem.Aggregate(month, Fields[i]);
        }
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _rateLimitsTable,
            Key = CounterItem.Key(customerId),
            ProjectionExpression = string.Join(", ", names.Keys),
            ExpressionAttributeNames = names,
            ConsistentRead = true,
        }, ct).ConfigureAwait(false);
        Dictionary<string, AttributeValue>? item = response.Item;
        if (item is null || !item.ContainsKey(CounterItem.Aggregate(month, UsageItem.Requests)))
        {
            return null;
        }
        long Read(string field) => CounterItem.ReadNumber(item, CounterItem.Aggregate(month, field));
        return new MonthlyUsage(
            customerId,
            month,
            Read(UsageItem.Requests),
            Read(UsageItem.InputTokens),
            Read(UsageItem.OutputTokens),
            Read(UsageItem.CacheReadInputTokens),
            Read(UsageItem.CacheWriteInputTokens),
            Read(UsageItem.Errors),
            // Absent on months written before these fields existed: 0.
            ReadOptional(UsageItem.EstimatedRequests),
            ReadOptional(UsageItem.CostMicroUsd),
            ReadOptional(UsageItem.UnpricedRequests));
        long ReadOptional(string field) => item.ContainsKey(CounterItem.Aggregate(month, field)) ? Read(field) : 0;
    }

    /// <summary>The month's records in time order, page by page.</summary>
    public async IAsyncEnumerable<UsageRecord> ListRecordsAsync(
        string customerId, string month, [EnumeratorCancellation] CancellationToken ct)
    {
        ValidateMonth(month);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            QueryResponse page = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _usageTable,
                KeyConditionExpression = "pk = :pk AND begins_with(sk, :rec)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pk"] = new AttributeValue { S = UsageItem.PartitionKey(customerId, month) },
                    [":rec"] = new AttributeValue { S = UsageItem.RecordPrefix },
                },
                ExclusiveStartKey = startKey,
            }, ct).ConfigureAwait(false);
            foreach (Dictionary<string, AttributeValue> item in page.Items ?? [])
            {
                yield return UsageItem.FromItem(item);
            }
            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
    }

    private static void ValidateMonth(string month)
    {
        if (!DateTime.TryParseExact(month, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out _))
        {
            throw new ArgumentException($"Month must look like 2026-11, got '{month}'.", nameof(month));
        }
    }
}
