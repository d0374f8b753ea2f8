using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Builds the single conditional UpdateItem that admits one request: it rolls whichever windows
/// are over, charges the request, and succeeds only if every limit still holds.
/// </summary>
/// <remarks>
/// Correctness argument. The write is built against an assumed item state (cached from this
/// instance's last write, or read). Its condition pins that state: <c>win</c>, <c>day</c> and
/// <c>mon</c> must be exactly what was assumed, so a write built for the wrong window fails instead
/// of counting into it. Within a pinned minute, <c>rp</c>/<c>tp</c> (the previous minute) are final:
/// they only change when the window rolls, which changes <c>win</c>. So the allowance
/// <c>limit − ceil(previous × remaining/60000) − need</c> is a constant the caller may compute and
/// pass as a value, and the condition <c>rc ≤ :allowance</c> is evaluated by DynamoDB atomically
/// with the increment. No counter is ever read and written back: concurrent writers from any
/// number of instances serialise on the item, and each succeeds only if its own increment fits,
/// so no more than the limit is admitted however the requests race. On a roll, <c>SET rp = rc</c>
/// copies the finished minute's count inside the same atomic write, and the condition bounds that
/// count with <see cref="SlidingWindow.MaxPreviousAfterRoll"/>. Day and month windows are fixed
/// (UTC calendar) and work the same way without a previous window. The dollar budget is the month
/// window again, in micro-dollars: <c>mc</c> is charged the request's worst-case cost and conditioned
/// <c>mc ≤ budget − need</c> in the same write, so the argument above holds for dollars too.
/// </remarks>
internal static class AdmissionWrite
{
    /// <param name="customerId">Whose counter item: a customer id, or a key id with <paramref name="scope"/> <see cref="LimitScope.ApiKey"/>.</param>
    public static UpdateItemRequest Build(
        string table, string customerId, CustomerLimits limits, CounterState assumed, DateTimeOffset now, long reservedTokens,
        long reservedCostMicroUsd = 0, LimitScope? scope = null)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long remainingMs = SlidingWindow.RemainingMs(nowMs);
        long minute = CounterItem.MinuteOf(now);
        long day = CounterItem.DayOf(now);
        string month = CounterItem.MonthOf(now);
        long reserved = Math.Max(0, reservedTokens);
        long reservedCost = Math.Max(0, reservedCostMicroUsd);
        // Within a month the cost counter is only charged for a budget (or a priced reservation).
        bool countsCost = limits.MonthlyBudgetMicroUsd is not null || reservedCost > 0;

        var values = new Dictionary<string, AttributeValue>
        {
            [":one"] = CounterItem.Number(1),
            [":res"] = CounterItem.Number(reserved),
            [":win"] = CounterItem.Number(minute),
            [":day"] = CounterItem.Number(day),
            [":mon"] = new AttributeValue { S = month },
            [":exp"] = CounterItem.Number((now + CounterItem.Retention).ToUnixTimeSeconds()),
        };
        var set = new List<string> { "expiresAt = :exp" };
        var add = new List<string>();
        var conditions = new List<string>();

        if (assumed.Window == minute)
        {
            add.Add("rc :one");
            add.Add("tc :res");
            conditions.Add("win = :win");
            if (limits.RequestsPerMinute is int rpm)
            {
                values[":maxRc"] = CounterItem.Number(SlidingWindow.MaxCurrent(rpm, assumed.RequestsPrevious, remainingMs, 1));
                conditions.Add("rc <= :maxRc");
            }
            if (limits.TokensPerMinute is long tpm)
            {
                long need = LimitEvaluator.TokenNeed(reserved, tpm);
                values[":maxTc"] = CounterItem.Number(SlidingWindow.MaxCurrent(tpm, assumed.TokensPrevious, remainingMs, need));
                conditions.Add("tc <= :maxTc");
            }
        }
        else if (assumed.Window == minute - 1)
        {
            // All operands of one SET are read from the item as it was before this write.
            set.Add("rp = rc, tp = tc, rc = :one, tc = :res, win = :win");
            values[":prevWin"] = CounterItem.Number(minute - 1);
            conditions.Add("win = :prevWin");
            if (limits.RequestsPerMinute is int rpm)
            {
                values[":maxRp"] = CounterItem.Number(SlidingWindow.MaxPreviousAfterRoll(rpm, remainingMs, 1));
                conditions.Add("rc <= :maxRp");
            }
            if (limits.TokensPerMinute is long tpm)
            {
                long need = LimitEvaluator.TokenNeed(reserved, tpm);
                values[":maxTp"] = CounterItem.Number(SlidingWindow.MaxPreviousAfterRoll(tpm, remainingMs, need));
                conditions.Add("tc <= :maxTp");
            }
        }
        else
        {
            set.Add("rp = :zero, tp = :zero, rc = :one, tc = :res, win = :win");
            values[":zero"] = CounterItem.Number(0);
            values[":prevWin"] = CounterItem.Number(minute - 1);
            conditions.Add("(attribute_not_exists(win) OR win < :prevWin)");
        }

        if (assumed.Day == day)
        {
            add.Add("dt :res");
            conditions.Add("#day = :day");
            if (limits.TokensPerDay is long tpd)
            {
                values[":maxDt"] = CounterItem.Number(tpd - LimitEvaluator.TokenNeed(reserved, tpd));
                conditions.Add("dt <= :maxDt");
            }
        }
        else
        {
            set.Add("#day = :day, dt = :res");
            conditions.Add("(attribute_not_exists(#day) OR #day < :day)");
        }

        if (assumed.Month == month)
        {
            add.Add("mt :res");
            conditions.Add("mon = :mon");
            if (limits.MonthlyTokenQuota is long quota)
            {
                values[":maxMt"] = CounterItem.Number(quota - LimitEvaluator.TokenNeed(reserved, quota));
                conditions.Add("mt <= :maxMt");
            }
            if (countsCost)
            {
                add.Add("mc :cres");
                values[":cres"] = CounterItem.Number(reservedCost);
            }
            if (limits.MonthlyBudgetMicroUsd is long budget)
            {
                // An item written before budgets existed has no mc yet: nothing spent is counted.
                values[":maxMc"] = CounterItem.Number(budget - LimitEvaluator.TokenNeed(reservedCost, budget));
                conditions.Add("(attribute_not_exists(mc) OR mc <= :maxMc)");
            }
        }
        else
        {
            // mc restarts with the month even without a budget: settlements may have added cost to it.
            set.Add("mon = :mon, mt = :res, mc = :cres");
            values[":cres"] = CounterItem.Number(reservedCost);
            conditions.Add("(attribute_not_exists(mon) OR mon < :mon)");
        }

        string update = "SET " + string.Join(", ", set) + (add.Count > 0 ? " ADD " + string.Join(", ", add) : "");
        return new UpdateItemRequest
        {
            TableName = table,
            Key = CounterItem.ItemKey((scope ?? LimitScope.Customer).PartitionKey(customerId)),
            UpdateExpression = update,
            ConditionExpression = string.Join(" AND ", conditions),
            // "day" is a DynamoDB reserved word.
            ExpressionAttributeNames = new Dictionary<string, string> { ["#day"] = CounterItem.Day },
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
            // Real DynamoDB returns the item on failure, saving the re-read; dynalite returns none.
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
    }
}
