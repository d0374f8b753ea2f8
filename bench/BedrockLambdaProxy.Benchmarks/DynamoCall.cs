namespace BedrockLambdaProxy.Benchmarks;

/// <summary>One DynamoDB request seen by the relay: its X-Amz-Target, when it went out and came back, and how many Bedrock calls the simulator had seen by then.</summary>
internal sealed class DynamoCall(string operation, long sentTimestamp, int bedrockCallsBefore, long bodyBytes)
{
    private static readonly HashSet<string> WriteOperations = new(StringComparer.Ordinal)
    {
        "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    };

    /// <summary>The operation name without the <c>DynamoDB_20120810.</c> prefix, e.g. <c>UpdateItem</c>.</summary>
    public string Operation { get; } = operation;

    public long SentTimestamp { get; } = sentTimestamp;

    /// <summary>Stopwatch timestamp of the first response byte; 0 until it arrives.</summary>
    public long AnsweredTimestamp { get; set; }

    /// <summary>The simulator's total request count when the first response byte passed the relay; 0 until then.</summary>
    public int BedrockCallsAtAnswer { get; set; }

    /// <summary>The simulator's total request count when this request's head passed the relay.</summary>
    public int BedrockCallsBefore { get; } = bedrockCallsBefore;

    public long BodyBytes { get; } = bodyBytes;

    public bool IsWrite => WriteOperations.Contains(Operation);
}
