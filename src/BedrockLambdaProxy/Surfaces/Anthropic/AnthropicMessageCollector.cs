using System.Buffers;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// A streamed Messages answer for a buffered front (API Gateway REST): the events are assembled into the one
/// Messages JSON a unary call returns (blocks from their start events and deltas, stop reason and usage from
/// <c>message_delta</c>), which every Anthropic client reads. A failure is an Anthropic error with its honest
/// status, since nothing was sent yet.
/// </summary>
internal sealed class AnthropicMessageCollector(HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers)
    : IStreamEventSink
{
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<string, JsonElement> _message = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _usage = new(StringComparer.Ordinal);

    private long _received;

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        // Past what a buffered response can carry (the events' JSON bounds the message's text from above)
        // nothing more is kept: memory stays bounded, and the end answers ResponseTooLarge while the relay
        // still reads Bedrock's stream to its end for the usage record.
        _received += json.Length;
        if (_received > HttpResponseChannel.BufferedLimitBytes)
        {
            return ValueTask.CompletedTask;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            Apply(document.RootElement);
        }
        catch (JsonException)
        {
            // A chunk that is not JSON adds nothing to the message; Bedrock's counts still bill the call.
        }
        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        _received > HttpResponseChannel.BufferedLimitBytes
            ? channel.SendTooLargeAsync(cancellationToken)
            : channel.SendAsync(new ProxyResponse(200, headers, Message()), cancellationToken);

    public Task FailAsync(ApiError error, CancellationToken cancellationToken) =>
        channel.SendAsync(
            ErrorResponses.Render(error with { ExtraHeaders = [.. headers.Where(h => !string.Equals(h.Key, "content-type", StringComparison.OrdinalIgnoreCase))] },
                ErrorStyle.Anthropic),
            cancellationToken);

    private void Apply(JsonElement e)
    {
        switch (e.TryGetProperty("type", out JsonElement type) ? type.GetString() : null)
        {
            case "message_start" when e.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.Object:
                foreach (JsonProperty property in message.EnumerateObject())
                {
                    _message[property.Name] = property.Value.Clone();
                }
                Merge(message);
                break;
            case "content_block_start" when e.TryGetProperty("content_block", out JsonElement start):
                _blocks.Add(new Block(start.Clone()));
                break;
            case "content_block_delta" when e.TryGetProperty("delta", out JsonElement delta) && _blocks.Count > 0:
                BlockAt(e).Add(delta);
                break;
            case "message_delta":
                if (e.TryGetProperty("delta", out JsonElement messageDelta) && messageDelta.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty property in messageDelta.EnumerateObject())
                    {
                        _message[property.Name] = property.Value.Clone();
                    }
                }
                Merge(e);
                break;
        }
    }

    private Block BlockAt(JsonElement e) =>
        e.TryGetProperty("index", out JsonElement index) && index.TryGetInt32(out int i) && i >= 0 && i < _blocks.Count ? _blocks[i] : _blocks[^1];

    private void Merge(JsonElement owner)
    {
        if (owner.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in usage.EnumerateObject())
            {
                _usage[property.Name] = property.Value.Clone();
            }
        }
    }

    private ReadOnlyMemory<byte> Message()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (KeyValuePair<string, JsonElement> property in _message)
            {
                json.WritePropertyName(property.Key);
                switch (property.Key)
                {
                    case "content":
                        json.WriteStartArray();
                        foreach (Block block in _blocks)
                        {
                            block.WriteTo(json);
                        }
                        json.WriteEndArray();
                        break;
                    case "usage":
                        json.WriteStartObject();
                        foreach (KeyValuePair<string, JsonElement> count in _usage)
                        {
                            json.WritePropertyName(count.Key);
                            count.Value.WriteTo(json);
                        }
                        json.WriteEndObject();
                        break;
                    default:
                        property.Value.WriteTo(json);
                        break;
                }
            }
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>One content block: its start event's object, with the text each delta kind adds.</summary>
    private sealed class Block(JsonElement start)
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _thinking = new();
        private readonly StringBuilder _signature = new();
        private readonly StringBuilder _inputJson = new();

        public void Add(JsonElement delta)
        {
            switch (delta.TryGetProperty("type", out JsonElement type) ? type.GetString() : null)
            {
                case "text_delta":
                    _text.Append(delta.GetProperty("text").GetString());
                    break;
                case "input_json_delta":
                    _inputJson.Append(delta.GetProperty("partial_json").GetString());
                    break;
                case "thinking_delta":
                    _thinking.Append(delta.GetProperty("thinking").GetString());
                    break;
                case "signature_delta":
                    _signature.Append(delta.GetProperty("signature").GetString());
                    break;
            }
        }

        public void WriteTo(Utf8JsonWriter json)
        {
            if (start.ValueKind != JsonValueKind.Object)
            {
                start.WriteTo(json);
                return;
            }
            json.WriteStartObject();
            foreach (JsonProperty property in start.EnumerateObject())
            {
                json.WritePropertyName(property.Name);
                switch (property.Name)
                {
                    case "text":
                        json.WriteStringValue(property.Value.GetString() + _text);
                        break;
                    case "thinking":
                        json.WriteStringValue(property.Value.GetString() + _thinking);
                        break;
                    case "signature":
                        json.WriteStringValue(property.Value.GetString() + _signature);
                        break;
                    case "input" when _inputJson.Length > 0 && IsJson(_inputJson.ToString()):
                        json.WriteRawValue(_inputJson.ToString());
                        break;
                    default:
                        property.Value.WriteTo(json);
                        break;
                }
            }
            json.WriteEndObject();
        }

        private static bool IsJson(string text)
        {
            try
            {
                using JsonDocument _ = JsonDocument.Parse(text);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
