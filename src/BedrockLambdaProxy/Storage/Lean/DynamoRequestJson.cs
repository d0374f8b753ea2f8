using System.Buffers;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// The JSON bodies of the four operations the lean transport sends (DynamoDB's low-level API, version
/// 2012-08-10), for the request fields the proxy uses. <c>Supports</c> says whether a request uses only
/// those fields; one that also sets a legacy or diagnostic field (AttributesToGet, Expected,
/// AttributeUpdates, ConditionalOperator, ReturnConsumedCapacity, ReturnItemCollectionMetrics) is left to
/// the SDK, so nothing a caller asks for is silently dropped.
/// </summary>
internal static class DynamoRequestJson
{
    public static bool Supports(GetItemRequest request) =>
        request.AttributesToGet is not { Count: > 0 } && request.ReturnConsumedCapacity is null;

    public static bool Supports(PutItemRequest request) =>
        request.Expected is not { Count: > 0 } && request.ConditionalOperator is null
        && request.ReturnConsumedCapacity is null && request.ReturnItemCollectionMetrics is null;

    public static bool Supports(UpdateItemRequest request) =>
        request.AttributeUpdates is not { Count: > 0 } && request.Expected is not { Count: > 0 } && request.ConditionalOperator is null
        && request.ReturnConsumedCapacity is null && request.ReturnItemCollectionMetrics is null;

    public static bool Supports(BatchGetItemRequest request)
    {
        if (request.ReturnConsumedCapacity is not null || request.RequestItems is not { Count: > 0 })
        {
            return false;
        }
        foreach (KeysAndAttributes keys in request.RequestItems.Values)
        {
            if (keys.AttributesToGet is { Count: > 0 })
            {
                return false;
            }
        }
        return true;
    }

    public static ReadOnlyMemory<byte> Write(GetItemRequest request) => Write(request, static (writer, r) =>
    {
        writer.WriteString("TableName", r.TableName);
        AttributeValueJson.WriteItem(writer, "Key", r.Key);
        WriteProjection(writer, r.ConsistentRead, r.ProjectionExpression, r.ExpressionAttributeNames);
    });

    public static ReadOnlyMemory<byte> Write(PutItemRequest request) => Write(request, static (writer, r) =>
    {
        writer.WriteString("TableName", r.TableName);
        AttributeValueJson.WriteItem(writer, "Item", r.Item);
        WriteCondition(writer, r.ConditionExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues);
        WriteReturns(writer, r.ReturnValues?.Value, r.ReturnValuesOnConditionCheckFailure?.Value);
    });

    public static ReadOnlyMemory<byte> Write(UpdateItemRequest request) => Write(request, static (writer, r) =>
    {
        writer.WriteString("TableName", r.TableName);
        AttributeValueJson.WriteItem(writer, "Key", r.Key);
        if (r.UpdateExpression is not null)
        {
            writer.WriteString("UpdateExpression", r.UpdateExpression);
        }
        WriteCondition(writer, r.ConditionExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues);
        WriteReturns(writer, r.ReturnValues?.Value, r.ReturnValuesOnConditionCheckFailure?.Value);
    });

    public static ReadOnlyMemory<byte> Write(BatchGetItemRequest request) => Write(request, static (writer, r) =>
    {
        writer.WritePropertyName("RequestItems");
        writer.WriteStartObject();
        foreach (KeyValuePair<string, KeysAndAttributes> table in r.RequestItems)
        {
            writer.WritePropertyName(table.Key);
            WriteKeysAndAttributes(writer, table.Value);
        }
        writer.WriteEndObject();
    });

    /// <summary>A KeysAndAttributes object, as sent in RequestItems and answered in UnprocessedKeys.</summary>
    public static void WriteKeysAndAttributes(Utf8JsonWriter writer, KeysAndAttributes keys)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("Keys");
        foreach (Dictionary<string, AttributeValue> key in keys.Keys ?? [])
        {
            AttributeValueJson.WriteMap(writer, key);
        }
        writer.WriteEndArray();
        WriteProjection(writer, keys.ConsistentRead, keys.ProjectionExpression, keys.ExpressionAttributeNames);
        writer.WriteEndObject();
    }

    private static ReadOnlyMemory<byte> Write<T>(T request, Action<Utf8JsonWriter, T> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer, request);
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    private static void WriteProjection(Utf8JsonWriter writer, bool? consistentRead, string? projection, Dictionary<string, string>? names)
    {
        if (consistentRead is bool consistent)
        {
            writer.WriteBoolean("ConsistentRead", consistent);
        }
        if (projection is not null)
        {
            writer.WriteString("ProjectionExpression", projection);
        }
        WriteNames(writer, names);
    }

    private static void WriteCondition(
        Utf8JsonWriter writer, string? condition, Dictionary<string, string>? names, Dictionary<string, AttributeValue>? values)
    {
        if (condition is not null)
        {
            writer.WriteString("ConditionExpression", condition);
        }
        WriteNames(writer, names);
        if (values is { Count: > 0 })
        {
            AttributeValueJson.WriteItem(writer, "ExpressionAttributeValues", values);
        }
    }

    private static void WriteNames(Utf8JsonWriter writer, Dictionary<string, string>? names)
    {
        if (names is not { Count: > 0 })
        {
            return;
        }
        writer.WritePropertyName("ExpressionAttributeNames");
        writer.WriteStartObject();
        foreach (KeyValuePair<string, string> name in names)
        {
            writer.WriteString(name.Key, name.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteReturns(Utf8JsonWriter writer, string? returnValues, string? onConditionFailure)
    {
        if (returnValues is not null)
        {
            writer.WriteString("ReturnValues", returnValues);
        }
        if (onConditionFailure is not null)
        {
            writer.WriteString("ReturnValuesOnConditionCheckFailure", onConditionFailure);
        }
    }
}
