using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// The one UpdateItem that adds a request to its month's aggregate on the customer's counter item
/// and, in the same write, settles the request's tokens against the limit counters.
/// </summary>
internal static class AggregateWrite
{
    public static UpdateItemRequest Build(string rateLimitsTable, UsageRecord record, SettlementDeltas? settle, DateTimeOffset now)
    {
        string month = CounterItem.MonthOf(record.Timestamp);
        TokenUsage tokens = record.Tokens ?? TokenUsage.Zero;
        var names = new Dictionary<string, string>
        {
            ["#req"] = CounterItem.Aggregate(month, UsageItem.Requests),
            ["#in"] = CounterItem.Aggregate(month, UsageItem.InputTokens),
            ["#out"] = CounterItem.Aggregate(month, UsageItem.OutputTokens),
            ["#cr"] = CounterItem.Aggregate(month, UsageItem.CacheReadInputTokens),
            ["#cw"] = CounterItem.Aggregate(month, UsageItem.CacheWriteInputTokens),
            ["#err"] = CounterItem.Aggregate(month, UsageItem.Errors),
            ["#est"] = CounterItem.Aggregate(month, UsageItem.EstimatedRequests),
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":req"] = CounterItem.Number(1),
            [":in"] = CounterItem.Number(tokens.InputTokens),
            [":out"] = CounterItem.Number(tokens.OutputTokens),
            [":cr"] = CounterItem.Number(tokens.CacheReadInputTokens),
            [":cw"] = CounterItem.Number(tokens.CacheWriteInputTokens),
            [":err"] = CounterItem.Number(UsageItem.IsError(record) ? 1 : 0),
            [":est"] = CounterItem.Number(record.Estimated ? 1 : 0),
            [":exp"] = CounterItem.Number((now + CounterItem.Retention).ToUnixTimeSeconds()),
        };
        string add = "#req :req, #in :in, #out :out, #cr :cr, #cw :cw, #err :err, #est :est";
        if (record.CostMicroUsd is long cost)
        {
            add += ", #cost :cost";
            names["#cost"] = CounterItem.Aggregate(month, UsageItem.CostMicroUsd);
            values[":cost"] = CounterItem.Number(cost);
        }
        else if (record.Tokens is not null)
        {
            // Tokens with no price: counted so the month's report says how many requests its cost leaves out.
            add += ", #unp :unp";
            names["#unp"] = CounterItem.Aggregate(month, UsageItem.UnpricedRequests);
            values[":unp"] = CounterItem.Number(1);
        }
        if (settle is { IsZero: false } deltas)
        {
            add += ", tc :sm, dt :sd, mt :smo";
            values[":sm"] = CounterItem.Number(deltas.Minute);
            values[":sd"] = CounterItem.Number(deltas.Day);
            values[":smo"] = CounterItem.Number(deltas.Month);
            if (deltas.MonthCost != 0)
            {
                add += ", mc :smc";
                values[":smc"] = CounterItem.Number(deltas.MonthCost);
            }
        }
        return new UpdateItemRequest
        {
            TableName = rateLimitsTable,
            Key = CounterItem.Key(record.CustomerId),
            UpdateExpression = "SET expiresAt = :exp ADD " + add,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }
}
