using System.Buffers;
using System.Text.Json;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// Reads what the relay needs from one Anthropic stream event (a decoded InvokeModelWithResponseStream chunk):
/// its <c>type</c>, the SSE event name Anthropic's clients dispatch on, and the event without Bedrock's
/// <c>amazon-bedrock-invocationMetrics</c>, which Bedrock appends to the last chunk and Anthropic's API never sends.
/// </summary>
internal static class AnthropicEventJson
{
    private const string MetricsProperty = "amazon-bedrock-invocationMetrics";

    /// <summary>The event types of Anthropic's stream, returned without allocating a string per event.</summary>
    private static readonly string[] KnownTypes =
    [
        "content_block_delta", "content_block_start", "content_block_stop", "message_start", "message_delta", "message_stop", "ping", "error",
    ];

    /// <summary>The event name of a content block delta, nearly every event of an answer.</summary>
    public static string TextDeltaType => KnownTypes[0];

    private static ReadOnlySpan<byte> DeltaOpening => "{\"type\":\"content_block_delta\","u8;

    /// <summary>The top-level <c>type</c> string, or null when the chunk has none.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith(DeltaOpening))
        {
            // Nearly every event of an answer, in the shape Bedrock writes: no reader needed.
            return KnownTypes[0];
        }
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    foreach (string known in KnownTypes)
                    {
                        if (reader.ValueTextEquals(known))
                        {
                            return known;
                        }
                    }
                    return reader.GetString();
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: relayed under no event name; the client sees what Bedrock sent.
        }
        return null;
    }

    /// <summary>The event as it is, or a copy without the invocation metrics when Bedrock added them.</summary>
    public static ReadOnlyMemory<byte> WithoutInvocationMetrics(ReadOnlyMemory<byte> json)
    {
        if (json.Span.IndexOf("\"amazon-bedrock-invocationMetrics\""u8) < 0)
        {
            return json;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            var buffer = new ArrayBufferWriter<byte>(json.Length);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals(MetricsProperty))
                    {
                        continue;
                    }
                    writer.WritePropertyName(property.Name);
                    writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            return buffer.WrittenMemory;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return json;
        }
    }
}
