using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// DynamoDB's JSON for an AttributeValue (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"M":{…}}</c>, …), written
/// and read by hand: no reflection, and no walk through the SDK's marshaller pipeline on each request.
/// </summary>
internal static class AttributeValueJson
{
    /// <summary>Writes <c>"name": { attribute: value, … }</c>, or nothing when <paramref name="item"/> is null.</summary>
    public static void WriteItem(Utf8JsonWriter writer, string name, Dictionary<string, AttributeValue>? item)
    {
        if (item is null)
        {
            return;
        }
        writer.WritePropertyName(name);
        WriteMap(writer, item);
    }

    public static void WriteMap(Utf8JsonWriter writer, Dictionary<string, AttributeValue> map)
    {
        writer.WriteStartObject();
        foreach (KeyValuePair<string, AttributeValue> entry in map)
        {
            writer.WritePropertyName(entry.Key);
            Write(writer, entry.Value);
        }
        writer.WriteEndObject();
    }

    /// <summary>One value; the first type set wins, in the order the SDK's marshaller checks them.</summary>
    public static void Write(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        if (value.S is not null)
        {
            writer.WriteString("S", value.S);
        }
        else if (value.N is not null)
        {
            writer.WriteString("N", value.N);
        }
        else if (value.B is not null)
        {
            writer.WriteBase64String("B", Bytes(value.B));
        }
        else if (value.SS is { Count: > 0 })
        {
            WriteStrings(writer, "SS", value.SS);
        }
        else if (value.NS is { Count: > 0 })
        {
            WriteStrings(writer, "NS", value.NS);
        }
        else if (value.BS is { Count: > 0 })
        {
            writer.WriteStartArray("BS");
            foreach (MemoryStream bytes in value.BS)
            {
                writer.WriteBase64StringValue(Bytes(bytes));
            }
            writer.WriteEndArray();
        }
        else if (value.M is not null && value.IsMSet)
        {
            writer.WritePropertyName("M");
            WriteMap(writer, value.M);
        }
        else if (value.L is not null && value.IsLSet)
        {
            writer.WriteStartArray("L");
            foreach (AttributeValue element in value.L)
            {
                Write(writer, element);
            }
            writer.WriteEndArray();
        }
        else if (value.BOOL is bool flag)
        {
            writer.WriteBoolean("BOOL", flag);
        }
        else if (value.NULL is true)
        {
            writer.WriteBoolean("NULL", true);
        }
        else
        {
            // DynamoDB refuses an empty value with a ValidationException; say so before sending it.
            throw new ArgumentException("An AttributeValue has no type set.", nameof(value));
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>{ attribute: value, … }</c>; the reader is on its StartObject and ends on its EndObject.</summary>
    public static Dictionary<string, AttributeValue> ReadMap(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            map[name] = Read(ref reader);
        }
        return map;
    }

    /// <summary>Reads one value; the reader is on its StartObject and ends on its EndObject.</summary>
    public static AttributeValue Read(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var value = new AttributeValue();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string type = reader.GetString()!;
            reader.Read();
            switch (type)
            {
                case "S":
                    value.S = reader.GetString();
                    break;
                case "N":
                    value.N = reader.GetString();
                    break;
                case "B":
                    value.B = new MemoryStream(reader.GetBytesFromBase64());
                    break;
                case "SS":
                    value.SS = ReadStrings(ref reader);
                    break;
                case "NS":
                    value.NS = ReadStrings(ref reader);
                    break;
                case "BS":
                    Expect(ref reader, JsonTokenType.StartArray);
                    value.BS = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        value.BS.Add(new MemoryStream(reader.GetBytesFromBase64()));
                    }
                    break;
                case "M":
                    value.M = ReadMap(ref reader);
                    value.IsMSet = true;
                    break;
                case "L":
                    Expect(ref reader, JsonTokenType.StartArray);
                    value.L = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        value.L.Add(Read(ref reader));
                    }
                    value.IsLSet = true;
                    break;
                case "BOOL":
                    value.BOOL = reader.GetBoolean();
                    break;
                case "NULL":
                    value.NULL = reader.GetBoolean();
                    break;
                default:
                    // A type added to DynamoDB after this code: skip it rather than fail the whole answer.
                    reader.Skip();
                    break;
            }
        }
        return value;
    }

    /// <summary>Fails with a JsonException unless the reader is on <paramref name="expected"/>.</summary>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"Expected {expected} in a DynamoDB answer, found {reader.TokenType}.");
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.GetString()!);
        }
        return values;
    }

    private static ReadOnlySpan<byte> Bytes(MemoryStream stream) =>
        stream.TryGetBuffer(out ArraySegment<byte> buffer) ? buffer.AsSpan() : stream.ToArray();
}
