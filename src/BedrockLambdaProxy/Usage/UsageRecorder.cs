using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Stores one usage record per proxied request and adds it to the customer's monthly aggregate;
/// what cannot be stored after bounded retries becomes one replayable JSON line on the log.
/// </summary>
/// <remarks>
/// Two writes: a conditional PutItem of the record (its key ends with the request id, so a
/// duplicate call cannot store it twice) and one UpdateItem on the customer's counter item that
/// ADDs the month's totals and settles the request's token reservation. With admission that is
/// three writes per request. A usage record is never silently lost: every failure path ends in
/// either a stored record or the log line.
/// </remarks>
internal sealed class UsageRecorder
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _usageTable;
    private readonly string _rateLimitsTable;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;

    /// <param name="log">Where the unwritten-record line goes; stdout (CloudWatch) by default.</param>
    public UsageRecorder(IAmazonDynamoDB dynamo, string usageTable, string rateLimitsTable, TimeProvider time, TextWriter? log = null)
    {
        _dynamo = dynamo;
        _usageTable = usageTable;
        _rateLimitsTable = rateLimitsTable;
        _time = time;
        _log = log ?? Console.Out;
    }

    /// <summary>Records the request and adds it to the monthly aggregate, without touching the limit counters.</summary>
    public Task RecordAsync(UsageRecord record, CancellationToken ct) => RecordAsync(record, null, ct);

    /// <summary>
    /// Records the request and, in the same write as the aggregate, settles
    /// <paramref name="admitted"/>'s reservation with the record's actual tokens (unless
    /// <see cref="Admission.SettleAsync"/> already did). Never throws for a storage failure.
    /// </summary>
    public async Task RecordAsync(UsageRecord record, AdmissionDecision? admitted, CancellationToken ct)
    {
        Exception? failure = null;
        bool stored = false;
        for (int attempt = 0; attempt <= Backoff.Length && !stored; attempt++)
        {
            try
            {
                await _dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = _usageTable,
                    Item = UsageItem.ToItem(record),
                    ConditionExpression = "attribute_not_exists(pk)",
                }, ct).ConfigureAwait(false);
                stored = true;
            }
            catch (ConditionalCheckFailedException) when (attempt == 0)
            {
                // Already stored before this call: a duplicate, whose aggregate was added then.
                return;
            }
            catch (ConditionalCheckFailedException)
            {
                // An earlier attempt of ours landed although it reported a failure.
                stored = true;
            }
            catch (Exception ex)
            {
                failure = ex;
                if (!await BackOffAsync(attempt, ct).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        if (!stored)
        {
            WriteUnwritten(UnwrittenUsageLine.PendingRecord, record, failure);
            return;
        }

        SettlementDeltas? settle = admitted?.Settlement is { } settlement && settlement.TryClaim()
            ? SettlementDeltas.Compute(settlement, record.Tokens, _time.GetUtcNow(), record.CostMicroUsd)
            : null;
        UpdateItemRequest aggregate = AggregateWrite.Build(_rateLimitsTable, record, settle, _time.GetUtcNow());
        for (int attempt = 0; attempt <= Backoff.Length; attempt++)
        {
            try
            {
                await _dynamo.UpdateItemAsync(aggregate, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
                if (!await BackOffAsync(attempt, ct).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        WriteUnwritten(UnwrittenUsageLine.PendingAggregate, record, failure);
    }

    /// <summary>Waits before the next attempt; false when there is none (attempts or time are up).</summary>
    private static async Task<bool> BackOffAsync(int attempt, CancellationToken ct)
    {
        if (attempt >= Backoff.Length || ct.IsCancellationRequested)
        {
            return false;
        }
        // Jitter so instances that failed together do not retry together.
        TimeSpan wait = Backoff[attempt] * (0.5 + Random.Shared.NextDouble());
        try
        {
            await Task.Delay(wait, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void WriteUnwritten(string pending, UsageRecord record, Exception? failure)
    {
        var line = new UnwrittenUsageLine
        {
            Pending = pending,
            Error = failure is null ? null : failure.GetType().Name + ": " + failure.Message,
            Record = record,
        };
        // One line, written and flushed at once: a partial line could not be replayed.
        string json = JsonSerializer.Serialize(line, UsageJsonContext.Default.UnwrittenUsageLine);
        lock (_log)
        {
            _log.Write(json + "\n");
            _log.Flush();
        }
    }
}
