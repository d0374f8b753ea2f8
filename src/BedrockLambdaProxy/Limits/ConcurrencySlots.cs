using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Limits;

/// <summary>
/// The per-customer concurrency cap (<c>--max-concurrent</c>): a request takes a slot before Bedrock is
/// called and gives it back when it has ended, with single-item conditional writes on the customer's
/// concurrency item (<see cref="SlotWrite"/> argues why the cap holds across instances).
/// </summary>
/// <remarks>
/// Cost: customers without a cap never reach this type. A capped request pays two writes, the acquire
/// (sent alongside the admission write, so no extra round trip before Bedrock) and the release after the
/// request's bookkeeping. A failed acquire condition (another instance changed the map) costs a read
/// and a second write. The budget and the failure mode are admission's (LIMITS_FAILURE_MODE).
/// </remarks>
internal sealed class ConcurrencySlots
{
    /// <summary>Retry-After of a refusal: a slot frees when some stream ends, which nothing predicts.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private const int MaxWriteAttempts = 5;
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(1500);

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeProvider _time;
    private readonly TimeSpan _budget;
    private readonly ConcurrentDictionary<string, SlotState> _cache = new(StringComparer.Ordinal);

    public ConcurrencySlots(IAmazonDynamoDB dynamo, string tableName, TimeProvider time, TimeSpan? budget = null)
    {
        _dynamo = dynamo;
        _table = tableName;
        _time = time;
        _budget = budget ?? DefaultBudget;
    }

    /// <summary>
    /// Takes a slot for <paramref name="requestId"/> until <paramref name="expiry"/> (the invocation's deadline):
    /// true when taken, false when <paramref name="cap"/> requests already hold one. Throws when DynamoDB cannot
    /// answer within the budget (the caller applies the failure mode).
    /// </summary>
    public async Task<bool> TryAcquireAsync(string customerId, int cap, string requestId, DateTimeOffset expiry, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(_budget);
        // Not seen yet: assume the map exists with no slot. Right for a customer already capped, it costs
        // nothing extra; otherwise the condition fails (size() of a missing map) and the re-read corrects it.
        SlotState state = _cache.TryGetValue(customerId, out SlotState? cached) ? cached : SlotState.AssumedEmpty;
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            UpdateItemRequest write = SlotWrite.Acquire(_table, customerId, cap, state, requestId, expiry.ToUnixTimeMilliseconds(), nowMs);
            try
            {
                UpdateItemResponse response = await _dynamo.UpdateItemAsync(write, budget.Token).ConfigureAwait(false);
                _cache[customerId] = SlotState.From(response.Attributes);
                return true;
            }
            catch (ConditionalCheckFailedException failed)
            {
                state = failed.Item is { Count: > 0 } item
                    ? SlotState.From(item)
                    : await ReadAsync(customerId, budget.Token).ConfigureAwait(false);
                _cache[customerId] = state;
                if (state.LiveAt(_time.GetUtcNow().ToUnixTimeMilliseconds()) >= cap)
                {
                    return false;
                }
                // Room after all: the map changed under us (a release, a prune, the first write). Try again.
            }
        }
        // The map keeps changing shape: as busy as it gets, so refuse rather than loop.
        return false;
    }

    /// <summary>Gives the slot back (one write). Never throws: an unreleased slot expires at its deadline anyway.</summary>
    public async Task<Exception?> ReleaseAsync(string customerId, string requestId, CancellationToken ct)
    {
        try
        {
            UpdateItemResponse response = await _dynamo.UpdateItemAsync(SlotWrite.Release(_table, customerId, requestId), ct)
                .ConfigureAwait(false);
            _cache[customerId] = SlotState.From(response.Attributes);
            return null;
        }
        catch (ConditionalCheckFailedException)
        {
            // No map: nothing is held (the item was never created or was deleted by hand).
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>
    /// Whether this instance's last view of the customer's slots leaves the request inside half the cap,
    /// the same rule as <see cref="Admission.HasHeadroom"/> for letting Bedrock start before the write returns.
    /// </summary>
    public bool HasHeadroom(string customerId, int cap) =>
        _cache.TryGetValue(customerId, out SlotState? state)
        && state.LiveAt(_time.GetUtcNow().ToUnixTimeMilliseconds()) + 1 <= cap / 2;

    private async Task<SlotState> ReadAsync(string customerId, CancellationToken ct)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = SlotWrite.Key(customerId),
            ConsistentRead = true,
        }, ct).ConfigureAwait(false);
        SlotState state = SlotState.From(response.Item);
        _cache[customerId] = state;
        return state;
    }
}
