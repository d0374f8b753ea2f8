using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Streaming;

/// <summary>
/// The seed's "chunked array" for a buffered front (API Gateway's classic proxy integration):
/// every event collected, in order, into one JSON array sent when the stream ends. Converse
/// events keep their names as <c>{"contentBlockDelta": {…}}</c> (the shape AWS SDKs yield);
/// InvokeModel chunks are the model's JSON as is. Once the array passes what a buffered response can
/// carry, events are no longer kept (memory stays bounded however long the answer) and the end sends
/// the channel's ResponseTooLarge error instead; the relay still reads the stream for Bedrock's counts.
/// </summary>
internal sealed class ChunkArraySink : IStreamEventSink, IDisposable
{
    private readonly HttpResponseChannel _channel;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private bool _tooLarge;

    public ChunkArraySink(HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _channel = channel;
        _headers = headers;
        // Upstream JSON was produced by Bedrock and is copied raw; re-validating it would be wasted work.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _json.WriteStartArray();
    }

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        // The raw array is never larger than its envelope, so past the limit the answer cannot be sent.
        _tooLarge = _tooLarge || _json.BytesCommitted + _json.BytesPending + json.Length > HttpResponseChannel.BufferedLimitBytes;
        if (_tooLarge)
        {
            return ValueTask.CompletedTask;
        }
        if (eventName is null)
        {
            _json.WriteRawValue(json.Span, skipInputValidation: true);
        }
        else
        {
            _json.WriteStartObject();
            _json.WritePropertyName(eventName);
            _json.WriteRawValue(json.Span, skipInputValidation: true);
            _json.WriteEndObject();
        }
        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => SendAsync(200, cancellationToken);

    /// <summary>Nothing has been sent yet, so the failure gets an honest status; the events so far stay, then an error element.</summary>
    public Task FailAsync(ApiError error, CancellationToken cancellationToken)
    {
        _json.WriteStartObject();
        _json.WriteStartObject("error");
        _json.WriteString("type", error.Type);
        _json.WriteString("message", error.Message);
        _json.WriteEndObject();
        _json.WriteEndObject();
        return SendAsync(error.StatusCode, cancellationToken);
    }

    public void Dispose() => _json.Dispose();

    private Task SendAsync(int statusCode, CancellationToken cancellationToken)
    {
        if (_tooLarge)
        {
            return _channel.SendTooLargeAsync(cancellationToken);
        }
        _json.WriteEndArray();
        _json.Flush();
        return _channel.SendAsync(new ProxyResponse(statusCode, _headers, _buffer.WrittenMemory), cancellationToken);
    }
}
