using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Admits a request against the customer's model allow-list and limits with one conditional
/// UpdateItem on the customer's counter item (see <see cref="AdmissionWrite"/> for why that is
/// exact across any number of concurrent instances).
/// </summary>
/// <remarks>
/// Warm path: the instance caches each customer's item as its last write returned it (ALL_NEW); in
/// the same minute the previous-minute counts are final, so one round trip decides. A cold instance
/// has the item from authentication (read with the customer in one BatchGetItem, see
/// <see cref="ICustomerCompanionItem"/>), or else reads it first; a failed condition re-reads (or uses the item DynamoDB returns with the
/// failure) and either refuses with 429 or retries against the fresh state. The whole call has a
/// budget (default 1.5 s): if DynamoDB cannot answer in time the request is refused with 503
/// (fail closed, the default) or admitted uncounted (fail open, LIMITS_FAILURE_MODE=open).
/// Cost: warm and in the same minute, one UpdateItem. At a minute boundary the first instance
/// rolls the window in that same single write; an instance that loses the roll race pays one
/// failed conditional write and one read before its real write (DynamoDB cannot choose between
/// "roll" and "add" inside one update expression).
/// </remarks>
internal sealed class Admission : ICustomerCompanionItem
{
    private const int MaxWriteAttempts = 5;
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(1500);

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeProvider _time;
    private readonly bool _failOpen;
    private readonly TimeSpan _budget;
    private readonly LimitScope _scope;
    /// <summary>The admission of API keys' own limits, one per customer admission, so the counters a fresh instance reads at authentication are the ones admission uses.</summary>
    private readonly Admission? _keys;
    private readonly ConcurrentDictionary<string, CounterState> _cache = new(StringComparer.Ordinal);

    /// <param name="scope">Whose counters: the customer's (default) or API keys' own (<see cref="ForKeys"/>).</param>
    public Admission(IAmazonDynamoDB dynamo, string tableName, TimeProvider time, bool failOpen, TimeSpan? budget = null, LimitScope? scope = null)
    {
        _dynamo = dynamo;
        _table = tableName;
        _time = time;
        _failOpen = failOpen;
        _budget = budget ?? DefaultBudget;
        _scope = scope ?? LimitScope.Customer;
        _keys = ReferenceEquals(_scope, LimitScope.Customer) ? new Admission(dynamo, tableName, time, failOpen, _budget, LimitScope.ApiKey) : null;
    }

    /// <summary>
    /// Admission of API keys' own limits (<see cref="CustomerContext.KeyLimits"/>): the same table, budget and failure mode,
    /// on each key's counter item; its <see cref="CustomerContext"/> carries the key id as the id and the key's limits.
    /// </summary>
    public Admission ForKeys() => _keys ?? this;

    public LimitScope Scope => _scope;

    string ICustomerCompanionItem.TableName => _table;

    /// <summary>Admission builds its conditional write on the item: it must be the latest (as <see cref="ReadAsync"/>).</summary>
    bool ICustomerCompanionItem.ConsistentRead => true;

    /// <summary>
    /// A fresh instance reads the customer's counters with the customer (one BatchGetItem at authentication) instead of
    /// in its own round trip before the admission write; once the counters are known, <see cref="HasHeadroom"/> lets
    /// the Bedrock call overlap that write as on a warm instance.
    /// </summary>
    bool ICustomerCompanionItem.Wants(string customerId) => !_cache.ContainsKey(customerId);

    Dictionary<string, AttributeValue> ICustomerCompanionItem.KeyFor(string customerId) => CounterItem.ItemKey(_scope.PartitionKey(customerId));

    /// <summary>
    /// Kept only for a customer with counter limits: admission never writes for one without, so its cached state would
    /// never be refreshed and could later claim headroom that is gone. A state this instance wrote or read meanwhile is
    /// newer than the batch's and is kept.
    /// </summary>
    void ICustomerCompanionItem.Accept(string customerId, CustomerRecord? customer, Dictionary<string, AttributeValue>? item)
    {
        if (customer is { Limits.HasCounterLimits: true })
        {
            _cache.TryAdd(customerId, CounterState.From(item));
        }
    }

    /// <summary>Only for a key with counter limits of its own (the only keys whose counters admission writes).</summary>
    Dictionary<string, AttributeValue>? ICustomerCompanionItem.KeyItemFor(ApiKeyRecord key) =>
        _keys is { } keys && key.Limits is { HasCounterLimits: true } && !keys._cache.ContainsKey(key.KeyId)
            ? CounterItem.ItemKey(LimitScope.ApiKey.PartitionKey(key.KeyId))
            : null;

    void ICustomerCompanionItem.AcceptKeyItem(ApiKeyRecord key, Dictionary<string, AttributeValue>? item) =>
        _keys?._cache.TryAdd(key.KeyId, CounterState.From(item));

    /// <summary>LIMITS_FAILURE_MODE=open: a limits store out of reach admits requests uncounted.</summary>
    public bool FailsOpen => _failOpen;

    /// <summary>Admits without a dollar reservation (no budget, or nothing to price).</summary>
    public Task<AdmissionDecision> AdmitAsync(
        CustomerContext customer, string modelId, long reservedTokens, CancellationToken ct) =>
        AdmitAsync(customer, modelId, reservedTokens, default, ct);

    public async Task<AdmissionDecision> AdmitAsync(
        CustomerContext customer, string modelId, long reservedTokens, CostReservation cost, CancellationToken ct)
    {
        DateTimeOffset now = _time.GetUtcNow();
        CustomerLimits limits = customer.Limits;
        if (!ModelAllowList.IsAllowed(customer.AllowedModels, modelId))
        {
            return Refused(403, null, $"Model '{modelId}' is not allowed for this API key.", null, limits, customer.CustomerId, now, null);
        }
        if (limits.MonthlyBudgetMicroUsd is long dollars && cost.Unpriced)
        {
            // A budget that cannot be enforced must not be silently ignored.
            return Refused(403, null,
                $"Model '{modelId}' has no price in the proxy's price table, and {_scope.Owner} has a monthly budget of {Usd.Format(dollars)} USD "
                + "that could not be enforced for it, so the request is refused. Use a priced model, or ask the operator to add a price for this one.",
                null, limits, customer.CustomerId, now, null);
        }
        if (!limits.HasCounterLimits)
        {
            // Nothing to enforce: no write. Usage still reaches the counters when the request is recorded.
            return new AdmissionDecision
            {
                IsAdmitted = true,
                Status = 200,
                Headers = RateLimitHeaders.Build(limits, default, now, null),
                Settlement = Uncharged(customer.CustomerId, now),
            };
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(_budget);
        try
        {
            return await AdmitCountedAsync(customer.CustomerId, modelId, limits, Math.Max(0, reservedTokens), cost, now, budget.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not ConditionalCheckFailedException)
        {
            // Unreachable, throttled, timed out (the budget fired), or answering garbage: the
            // configured failure mode decides. The exception goes to the lead's log via Failure.
            if (_failOpen)
            {
                return new AdmissionDecision
                {
                    IsAdmitted = true,
                    Status = 200,
                    Headers = HeadersFromCache(limits, customer.CustomerId, now, null),
                    // Nothing was reserved; settling still charges the actual tokens (and cost).
                    Settlement = Uncharged(customer.CustomerId, now, cost.Price),
                    Failure = ex,
                };
            }
            return Refused(503, null, "Rate limiting is temporarily unavailable; retry shortly.", TimeSpan.FromSeconds(1), limits, customer.CustomerId, now, ex);
        }
    }

    /// <summary>
    /// Whether this instance's last view of the customer's counters leaves the request inside half of
    /// every limit. Only then may the Bedrock call go out while the admission write is in flight
    /// (<see cref="AdmissionGate"/>): the write can then fail only if other instances used up the
    /// other half since this instance last wrote, so a refused request reaches Bedrock rarely, and
    /// never once the customer is near a limit. False when the model is not allowed or this instance has not
    /// seen the customer's counters yet, and when admission needs no write (no counter limits) unless
    /// <paramref name="noWriteIsRoom"/>.
    /// </summary>
    /// <param name="noWriteIsRoom">
    /// For a customer (or key) without counter limits, whether admission would let the request through without a write
    /// (the model allowed; there is no budget to enforce): so when the other set of limits writes (a key's own beside
    /// its customer's), this one does not stop the overlap.
    /// </param>
    public bool HasHeadroom(CustomerContext customer, string modelId, long reservedTokens, CostReservation cost = default, bool noWriteIsRoom = false)
    {
        CustomerLimits limits = customer.Limits;
        if (!ModelAllowList.IsAllowed(customer.AllowedModels, modelId))
        {
            return false;
        }
        if (!limits.HasCounterLimits)
        {
            return noWriteIsRoom;
        }
        if (cost.Unpriced || !_cache.TryGetValue(customer.CustomerId, out CounterState? state))
        {
            return false;
        }
        DateTimeOffset now = NotBehind(state, _time.GetUtcNow());
        WindowView view = state.ViewAt(CounterItem.MinuteOf(now), CounterItem.DayOf(now), CounterItem.MonthOf(now));
        var half = new CustomerLimits(
            limits.RequestsPerMinute / 2, limits.TokensPerMinute / 2, limits.TokensPerDay / 2, limits.MonthlyTokenQuota / 2)
        {
            MonthlyBudgetMicroUsd = limits.MonthlyBudgetMicroUsd / 2,
        };
        return LimitEvaluator.FindExceeded(half, view, now, Math.Max(0, reservedTokens), cost.MicroUsd) is null;
    }

    /// <summary>
    /// Corrects the reservation with the actual tokens (one UpdateItem). Prefer
    /// <see cref="UsageRecorder.RecordAsync(UsageRecord, AdmissionDecision?, CancellationToken)"/>,
    /// which settles in the same write as the monthly aggregate (three writes per request instead
    /// of four). A decision is settled once: whichever of the two comes first does it.
    /// </summary>
    public Task SettleAsync(AdmissionDecision admitted, TokenUsage? actual, CancellationToken ct) =>
        SettleAsync(admitted.Settlement, actual, null, ct);

    /// <summary>
    /// Corrects <paramref name="settlement"/> (if not settled yet) on the counter item it charged, with the actual tokens and
    /// cost (<paramref name="actualCostMicroUsd"/>, else the reservation's price applied to the tokens); one UpdateItem.
    /// </summary>
    public async Task SettleAsync(Settlement? settlement, TokenUsage? actual, long? actualCostMicroUsd, CancellationToken ct)
    {
        if (settlement is null || !settlement.TryClaim())
        {
            return;
        }
        // Called to give a reservation back (actual null): the cost goes back with the tokens.
        DateTimeOffset now = _time.GetUtcNow();
        SettlementDeltas deltas = SettlementDeltas.Compute(settlement, actual, now, actual is null ? 0 : actualCostMicroUsd);
        // A refused request (given back) leaves the requests-per-minute count too, while its minute lasts: a request
        // refused by the other set of limits (or the concurrency cap) must not use up this one's.
        bool requestBack = actual is null && settlement.CountedRequest && CounterItem.MinuteOf(now) == settlement.Minute;
        if (deltas.IsZero && !requestBack)
        {
            return;
        }
        var values = new Dictionary<string, AttributeValue>
        {
            [":m"] = CounterItem.Number(deltas.Minute),
            [":d"] = CounterItem.Number(deltas.Day),
            [":mo"] = CounterItem.Number(deltas.Month),
        };
        string update = "ADD tc :m, dt :d, mt :mo";
        if (deltas.MonthCost != 0)
        {
            values[":mc"] = CounterItem.Number(deltas.MonthCost);
            update += ", mc :mc";
        }
        if (requestBack)
        {
            values[":back"] = CounterItem.Number(-1);
            update += ", rc :back";
        }
        await _dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = CounterItem.ItemKey(settlement.PartitionKey),
            UpdateExpression = update,
            ExpressionAttributeValues = values,
        }, ct).ConfigureAwait(false);
    }

    private async Task<AdmissionDecision> AdmitCountedAsync(
        string customerId, string modelId, CustomerLimits limits, long reserved, CostReservation cost, DateTimeOffset clock, CancellationToken ct)
    {
        CounterState state = _cache.TryGetValue(customerId, out CounterState? cached)
            ? cached
            : await ReadAsync(customerId, ct).ConfigureAwait(false);

        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            DateTimeOffset now = NotBehind(state, clock);
            long minute = CounterItem.MinuteOf(now);
            long day = CounterItem.DayOf(now);
            string month = CounterItem.MonthOf(now);
            UpdateItemRequest write = AdmissionWrite.Build(_table, customerId, limits, state, now, reserved, cost.MicroUsd, _scope);
            try
            {
                UpdateItemResponse response = await _dynamo.UpdateItemAsync(write, ct).ConfigureAwait(false);
                CounterState written = CounterState.From(response.Attributes);
                _cache[customerId] = written;
                return new AdmissionDecision
                {
                    IsAdmitted = true,
                    Status = 200,
                    Headers = RateLimitHeaders.Build(limits, written.ViewAt(minute, day, month), now, null),
                    Settlement = new Settlement(customerId, reserved, minute, day, month, cost.MicroUsd, cost.Price)
                    {
                        PartitionKey = _scope.PartitionKey(customerId),
                        CountedRequest = true,
                    },
                };
            }
            catch (ConditionalCheckFailedException failed)
            {
                state = failed.Item is { Count: > 0 } item
                    ? CounterState.From(item)
                    : await ReadAsync(customerId, ct).ConfigureAwait(false);
                now = NotBehind(state, clock);
                WindowView view = state.ViewAt(CounterItem.MinuteOf(now), CounterItem.DayOf(now), CounterItem.MonthOf(now));
                if (LimitEvaluator.FindExceeded(limits, view, now, reserved, cost.MicroUsd) is { } exceeded)
                {
                    TimeSpan retryAfter = TimeSpan.FromMilliseconds(exceeded.WaitMs);
                    return new AdmissionDecision
                    {
                        IsAdmitted = false,
                        Status = 429,
                        LimitName = exceeded.LimitName,
                        Message = exceeded.LimitName == LimitNames.MonthlyBudget
                            ? LimitEvaluator.DescribeBudget(limits, view, cost.MicroUsd, modelId, _scope)
                            : LimitEvaluator.Describe(exceeded.LimitName, limits, reserved, _scope),
                        RetryAfter = retryAfter,
                        Headers = RateLimitHeaders.Build(limits, view, now, retryAfter),
                    };
                }
                // The item moved on (another instance rolled a window or created it): try again.
            }
        }
        // Only reachable if the item keeps changing shape under us, which a minute's traffic cannot
        // do more than a few times; refuse rather than loop.
        return Refused(429, LimitNames.RequestsPerMinute, "Too many concurrent requests; retry shortly.",
            TimeSpan.FromSeconds(1), limits, customerId, clock, null);
    }

    /// <summary>
    /// Our clock, or the start of the item's minute when another instance's clock is already there.
    /// Instances' clocks differ by milliseconds; without this, a write from the instance that is
    /// behind could match no window around each minute boundary and be refused spuriously.
    /// </summary>
    private static DateTimeOffset NotBehind(CounterState state, DateTimeOffset clock) =>
        state.Window is long window && window > CounterItem.MinuteOf(clock)
            ? DateTimeOffset.FromUnixTimeMilliseconds(window * SlidingWindow.MinuteMs)
            : clock;

    private Settlement Uncharged(string customerId, DateTimeOffset now, Pricing.ModelPrice? price = null) =>
        new(customerId, 0, CounterItem.MinuteOf(now), CounterItem.DayOf(now), CounterItem.MonthOf(now), 0, price)
        {
            PartitionKey = _scope.PartitionKey(customerId),
        };

    private async Task<CounterState> ReadAsync(string customerId, CancellationToken ct)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = CounterItem.ItemKey(_scope.PartitionKey(customerId)),
            ConsistentRead = true,
        }, ct).ConfigureAwait(false);
        CounterState state = CounterState.From(response.Item);
        _cache[customerId] = state;
        return state;
    }

    private AdmissionDecision Refused(
        int status, string? limitName, string message, TimeSpan? retryAfter,
        CustomerLimits limits, string customerId, DateTimeOffset now, Exception? failure) => new()
        {
            IsAdmitted = false,
            Status = status,
            LimitName = limitName,
            Message = message,
            RetryAfter = retryAfter,
            Headers = HeadersFromCache(limits, customerId, now, retryAfter),
            Failure = failure,
        };

    /// <summary>Headers when the item was not consulted: the last state this instance saw, or empty counters.</summary>
    private IReadOnlyList<KeyValuePair<string, string>> HeadersFromCache(
        CustomerLimits limits, string customerId, DateTimeOffset now, TimeSpan? retryAfter)
    {
        WindowView view = _cache.TryGetValue(customerId, out CounterState? cached)
            ? cached.ViewAt(CounterItem.MinuteOf(now), CounterItem.DayOf(now), CounterItem.MonthOf(now))
            : default;
        return RateLimitHeaders.Build(limits, view, now, retryAfter);
    }
}
