using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>The fields of a DynamoDB error body, filled in as they are read; all null for a body that is not DynamoDB's.</summary>
internal sealed class DynamoErrorBody
{
    /// <summary>The part of <c>__type</c> after '#', e.g. ConditionalCheckFailedException.</summary>
    public string? Code { get; set; }
    public string? Message { get; set; }
    /// <summary>The item as it was, when a write asked for ReturnValuesOnConditionCheckFailure ALL_OLD.</summary>
    public Dictionary<string, AttributeValue>? Item { get; set; }
}
