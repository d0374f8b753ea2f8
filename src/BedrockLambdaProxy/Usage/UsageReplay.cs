using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Writes back the usage records that <see cref="UsageRecorder"/> logged as unwritten. Feed it log
/// lines (other lines are skipped); replaying a line twice stores and counts it once.
/// </summary>
/// <remarks>
/// Idempotency: the record is put only if absent; then the record item is "claimed" with a
/// conditional <c>SET replayedAt</c> that succeeds only once, and only the claimant adds the record
/// to the monthly aggregate. A record the recorder had fully written is never logged, so its item
/// has no claim to collide with. Replay adds billing totals only; the limit counters are not
/// touched, since the windows the request counted against are long over.
/// Once the aggregate is added, the claimant confirms it (<c>replayAppliedAt</c>). A claim without
/// that confirmation (a replay that failed after claiming and could not give the claim back) is
/// <see cref="Outcome.Unconfirmed"/>, never silently "already applied": only the month's totals can
/// tell whether that aggregate landed.
/// </remarks>
internal sealed class UsageReplay
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _usageTable;
    private readonly string _rateLimitsTable;
    private readonly TimeProvider _time;

    public UsageReplay(IAmazonDynamoDB dynamo, string usageTable, string rateLimitsTable, TimeProvider time)
    {
        _dynamo = dynamo;
        _usageTable = usageTable;
        _rateLimitsTable = rateLimitsTable;
        _time = time;
    }

    /// <summary>Outcome of one log line.</summary>
    public enum Outcome
    {
        /// <summary>Not an unwritten-usage line (ordinary log output).</summary>
        Skipped,
        /// <summary>Stored and added to the aggregate now.</summary>
        Written,
        /// <summary>Already replayed earlier; nothing changed.</summary>
        AlreadyApplied,
        /// <summary>Claimed by an earlier replay that did not confirm adding it to the month; nothing changed.</summary>
        Unconfirmed,
    }

    /// <summary>Set on the record once its replay has added it to the monthly aggregate.</summary>
    public const string AppliedAttribute = "replayAppliedAt";

    /// <summary>Replays every unwritten-usage line read from <paramref name="lines"/>; returns how many were written.</summary>
    public async Task<int> ReplayAllAsync(TextReader lines, CancellationToken ct)
    {
        int written = 0;
        while (await lines.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (await ReplayLineAsync(line, ct).ConfigureAwait(false) == Outcome.Written)
            {
                written++;
            }
        }
        return written;
    }

    public async Task<Outcome> ReplayLineAsync(string line, CancellationToken ct)
    {
        if (Parse(line) is not { } parsed)
        {
            return Outcome.Skipped;
        }
        UsageRecord record = parsed.Record;
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _usageTable,
                Item = UsageItem.ToItem(record),
                ConditionExpression = "attribute_not_exists(pk)",
            }, ct).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Stored already (by the recorder or an earlier replay); the claim below decides.
        }

        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _usageTable,
                Key = UsageItem.Key(record),
                UpdateExpression = "SET #r = :now",
                ConditionExpression = "attribute_exists(pk) AND attribute_not_exists(#r)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#r"] = UsageItem.Replayed },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":now"] = new AttributeValue { S = _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                },
            }, ct).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            GetItemResponse claimed = await _dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = _usageTable,
                Key = UsageItem.Key(record),
                ConsistentRead = true,
            }, ct).ConfigureAwait(false);
            return claimed.Item is { } item && item.ContainsKey(AppliedAttribute) ? Outcome.AlreadyApplied : Outcome.Unconfirmed;
        }

        try
        {
            await _dynamo.UpdateItemAsync(AggregateWrite.Build(_rateLimitsTable, record, null, _time.GetUtcNow()), ct).ConfigureAwait(false);
        }
        catch
        {
            // Give the claim back so the next replay of this line adds the aggregate.
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _usageTable,
                Key = UsageItem.Key(record),
                UpdateExpression = "REMOVE #r",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#r"] = UsageItem.Replayed },
            }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _usageTable,
                Key = UsageItem.Key(record),
                UpdateExpression = "SET #a = :now",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#a"] = AppliedAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":now"] = new AttributeValue { S = _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                },
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            // The aggregate is added: this replay wrote it. A later replay of the line reports it
            // unconfirmed rather than adding it again.
        }
        return Outcome.Written;
    }

    /// <summary>The line's payload, or null when the line is not an unwritten-usage line.</summary>
    public static UnwrittenUsageLine? Parse(string line)
    {
        if (!line.Contains(UnwrittenUsageLine.EventTypeValue, StringComparison.Ordinal))
        {
            return null;
        }
        // Log pipelines may prefix lines (timestamps, request ids): start at the JSON object.
        int start = line.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        try
        {
            UnwrittenUsageLine? parsed = JsonSerializer.Deserialize(line.AsSpan(start), UsageJsonContext.Default.UnwrittenUsageLine);
            return parsed is { EventType: UnwrittenUsageLine.EventTypeValue } ? parsed : null;
        }
        catch (JsonException ex)
        {
            // It claims to be a usage record: refusing loudly beats dropping a billable request.
            throw new FormatException("An unwritten-usage line could not be parsed: " + ex.Message, ex);
        }
    }
}
