using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Builds the single-item conditional writes of the per-customer concurrency cap: one item per capped
/// customer in the rate-limits table (pk <c>conc#&lt;customerId&gt;</c>) whose map <c>slots</c> holds
/// <c>requestId → expiry</c> (Unix ms: the invocation's deadline) for every request in flight.
/// </summary>
/// <remarks>
/// Correctness argument. Acquire is one UpdateItem built against an assumed state of the map (cached
/// from this instance's last write, or read). It adds this request's slot and removes the slots it
/// assumed expired, on the condition <c>size(slots) ≤ cap − 1 + pruned</c> and, for each pruned slot,
/// <c>slots.id = its expiry</c>. DynamoDB evaluates the condition atomically with the update, on the item
/// as it is, not as assumed. The pins make every pruned slot present in that item, so <c>size(slots)</c>
/// counts them; after the write the map holds <c>size − pruned + 1 ≤ cap</c> entries, and every live slot
/// is an entry (entries that expired but were not pruned only make the count larger). So however many
/// instances race, no write can leave more than <c>cap</c> live slots: each succeeds only against the
/// item it actually changes. A pin that fails (another instance pruned or the map changed) fails the
/// write, and the instance re-reads and tries again, or refuses when the fresh state has no room.
/// A slot expires at the deadline of the invocation that took it, so a sandbox that crashed or was
/// frozen holds its slot no longer than the function's timeout; the next acquire prunes it. Release is
/// an unconditional REMOVE of the request's own entry (only the map's existence is checked, because a
/// document path into a missing map is an error).
/// The first acquire creates the map (<c>attribute_not_exists(slots)</c>), so two first writers cannot
/// both create it. <c>expiresAt</c> (TTL) lets a customer's item disappear a day after its last request.
/// </remarks>
internal static class SlotWrite
{
    public const string SlotsAttribute = "slots";

    /// <summary>Expired slots one acquire removes at most (each adds a path and a condition to the expression).</summary>
    public const int MaxPrunedPerWrite = 25;

    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static Dictionary<string, AttributeValue> Key(string customerId) =>
        new() { ["pk"] = new AttributeValue { S = "conc#" + customerId } };

    public static UpdateItemRequest Acquire(
        string table, string customerId, int cap, SlotState assumed, string requestId, long expiryMs, long nowMs)
    {
        var names = new Dictionary<string, string> { ["#s"] = SlotsAttribute, ["#mine"] = requestId };
        var values = new Dictionary<string, AttributeValue>
        {
            [":ttl"] = CounterItem.Number(DateTimeOffset.FromUnixTimeMilliseconds(expiryMs).Add(Retention).ToUnixTimeSeconds()),
        };
        string update;
        string condition;
        if (!assumed.HasMap)
        {
            values[":mine"] = new AttributeValue { M = new Dictionary<string, AttributeValue> { [requestId] = CounterItem.Number(expiryMs) } };
            names.Remove("#mine"); // DynamoDB refuses unused names and values
            update = "SET #s = :mine, expiresAt = :ttl";
            condition = "attribute_not_exists(#s)";
        }
        else
        {
            values[":exp"] = CounterItem.Number(expiryMs);
            var removes = new List<string>();
            var conditions = new List<string>();
            int i = 0;
            foreach ((string expiredId, long expiredAt) in assumed.Slots)
            {
                if (i == MaxPrunedPerWrite)
                {
                    break;
                }
                if (expiredAt > nowMs || expiredId == requestId)
                {
                    continue;
                }
                names["#p" + i] = expiredId;
                values[":p" + i] = CounterItem.Number(expiredAt);
                removes.Add($"#s.#p{i}");
                conditions.Add($"#s.#p{i} = :p{i}");
                i++;
            }
            values[":max"] = CounterItem.Number(cap - 1 + removes.Count);
            conditions.Insert(0, "size(#s) <= :max");
            update = "SET #s.#mine = :exp, expiresAt = :ttl" + (removes.Count > 0 ? " REMOVE " + string.Join(", ", removes) : "");
            condition = string.Join(" AND ", conditions);
        }
        return new UpdateItemRequest
        {
            TableName = table,
            Key = Key(customerId),
            UpdateExpression = update,
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
            // Real DynamoDB returns the item on failure, saving the re-read; dynalite returns none.
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
    }

    public static UpdateItemRequest Release(string table, string customerId, string requestId) => new()
    {
        TableName = table,
        Key = Key(customerId),
        UpdateExpression = "REMOVE #s.#mine",
        ConditionExpression = "attribute_exists(#s)",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = SlotsAttribute, ["#mine"] = requestId },
        ReturnValues = ReturnValue.ALL_NEW,
    };
}
