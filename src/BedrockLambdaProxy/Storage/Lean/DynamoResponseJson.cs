using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// DynamoDB's answers, read into the SDK's response types so every caller stays as it is. Fields the
/// proxy never asks for (ConsumedCapacity, ItemCollectionMetrics) are skipped; an absent Item or
/// Attributes stays null, as the SDK leaves it.
/// </summary>
internal static class DynamoResponseJson
{
    public static GetItemResponse ReadGetItem(ReadOnlySpan<byte> json) => new() { Item = ReadMapProperty(json, "Item") };

    public static PutItemResponse ReadPutItem(ReadOnlySpan<byte> json) => new() { Attributes = ReadMapProperty(json, "Attributes") };

    public static UpdateItemResponse ReadUpdateItem(ReadOnlySpan<byte> json) => new() { Attributes = ReadMapProperty(json, "Attributes") };

    public static BatchGetItemResponse ReadBatchGetItem(ReadOnlySpan<byte> json)
    {
        var response = new BatchGetItemResponse();
        ReadTopLevel(json, response, static (ref reader, name, r) =>
        {
            switch (name)
            {
                case "Responses":
                    r.Responses = ReadTables(ref reader);
                    return true;
                case "UnprocessedKeys":
                    r.UnprocessedKeys = ReadUnprocessed(ref reader);
                    return true;
                default:
                    return false;
            }
        });
        return response;
    }

    /// <summary>An error body: the code after '#' in <c>__type</c>, the message, and the Item a failed condition returned.</summary>
    public static DynamoErrorBody ReadError(ReadOnlySpan<byte> json)
    {
        var error = new DynamoErrorBody();
        try
        {
            ReadTopLevel(json, error, static (ref reader, name, e) =>
            {
                switch (name)
                {
                    case "__type" when reader.TokenType == JsonTokenType.String:
                        string type = reader.GetString()!;
                        e.Code = type[(type.LastIndexOf('#') + 1)..];
                        return true;
                    case "message" or "Message" when reader.TokenType == JsonTokenType.String:
                        e.Message = reader.GetString();
                        return true;
                    case "Item" when reader.TokenType == JsonTokenType.StartObject:
                        e.Item = AttributeValueJson.ReadMap(ref reader);
                        return true;
                    default:
                        return false;
                }
            });
        }
        catch (JsonException)
        {
            // A proxy or load balancer's HTML page: the status alone decides what happens next.
        }
        return error;
    }

    /// <summary>The attribute map under top-level <paramref name="property"/>, or null when the answer has none.</summary>
    private static Dictionary<string, AttributeValue>? ReadMapProperty(ReadOnlySpan<byte> json, string property)
    {
        var found = new StrongBox<Dictionary<string, AttributeValue>?>();
        ReadTopLevel(json, found, (ref reader, name, box) =>
        {
            if (name == property)
            {
                box.Value = AttributeValueJson.ReadMap(ref reader);
                return true;
            }
            return false;
        });
        return found.Value;
    }

    private delegate bool PropertyReader<T>(ref Utf8JsonReader reader, string name, T target);

    /// <summary>Walks the top-level object, handing each property to <paramref name="read"/> and skipping what it declines.</summary>
    private static void ReadTopLevel<T>(ReadOnlySpan<byte> json, T target, PropertyReader<T> read)
    {
        if (json.IsEmpty)
        {
            return;
        }
        var reader = new Utf8JsonReader(json);
        reader.Read();
        AttributeValueJson.Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (!read(ref reader, name, target))
            {
                reader.Skip();
            }
        }
    }

    private static Dictionary<string, List<Dictionary<string, AttributeValue>>> ReadTables(ref Utf8JsonReader reader)
    {
        AttributeValueJson.Expect(ref reader, JsonTokenType.StartObject);
        var tables = new Dictionary<string, List<Dictionary<string, AttributeValue>>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string table = reader.GetString()!;
            reader.Read();
            tables[table] = ReadItems(ref reader);
        }
        return tables;
    }

    private static List<Dictionary<string, AttributeValue>> ReadItems(ref Utf8JsonReader reader)
    {
        AttributeValueJson.Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<Dictionary<string, AttributeValue>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(AttributeValueJson.ReadMap(ref reader));
        }
        return items;
    }

    private static Dictionary<string, KeysAndAttributes> ReadUnprocessed(ref Utf8JsonReader reader)
    {
        AttributeValueJson.Expect(ref reader, JsonTokenType.StartObject);
        var tables = new Dictionary<string, KeysAndAttributes>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string table = reader.GetString()!;
            reader.Read();
            AttributeValueJson.Expect(ref reader, JsonTokenType.StartObject);
            var keys = new KeysAndAttributes();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "Keys":
                        keys.Keys = ReadItems(ref reader);
                        break;
                    case "ConsistentRead":
                        keys.ConsistentRead = reader.GetBoolean();
                        break;
                    case "ProjectionExpression":
                        keys.ProjectionExpression = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            tables[table] = keys;
        }
        return tables;
    }
}
