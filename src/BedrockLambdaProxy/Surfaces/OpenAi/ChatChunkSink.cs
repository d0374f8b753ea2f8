using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// ConverseStream events → <c>chat.completion.chunk</c> SSE events, each written (and flushed by the
/// SSE sink) as its Bedrock event arrives; then the usage chunk if asked for, then <c>[DONE]</c>.
/// A failure goes out as the SSE sink's OpenAI-shaped <c>event: error</c>, with no <c>[DONE]</c>.
/// </summary>
/// <remarks>
/// Per event: no document, no string, no new writer. One <see cref="Utf8JsonWriter"/> is reset over
/// one buffer for every chunk, the chunk's constant members (id, model) are encoded once, and a text
/// delta's UTF-8 goes from Bedrock's payload into the chunk. Events that arrived together leave in
/// one write, as on the other surfaces (the relay's <c>flush</c>); an event that adds no chunk still
/// flushes what an earlier one left held.
/// </remarks>
internal sealed class ChatChunkSink(SseEventSink sse, string id, long created, string model, bool includeUsage) : IStreamEventSink, IDisposable
{
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ObjectName = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText ChunkObject = JsonEncodedText.Encode("chat.completion.chunk");
    private static readonly JsonEncodedText CreatedName = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText ChoicesName = JsonEncodedText.Encode("choices");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText DeltaName = JsonEncodedText.Encode("delta");
    private static readonly JsonEncodedText ContentName = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText LogprobsName = JsonEncodedText.Encode("logprobs");
    private static readonly JsonEncodedText FinishReasonName = JsonEncodedText.Encode("finish_reason");

    private readonly ConverseStreamReader _reader = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly JsonEncodedText _id = JsonEncodedText.Encode(id, JsonWriting.Readable.Encoder);
    private readonly JsonEncodedText _model = JsonEncodedText.Encode(model, JsonWriting.Readable.Encoder);
    private Utf8JsonWriter? _json;
    private TokenUsage? _usage;
    private bool _roleSent;

    /// <summary>True while a chunk written without a flush waits in the body.</summary>
    private bool _held;

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush: true, cancellationToken);

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken)
    {
        ChatDelta delta = _reader.Read(eventName, json);
        if (delta.Kind == ChatDeltaKind.Usage)
        {
            _usage = delta.Usage ?? _usage;
        }
        else if (delta.Kind != ChatDeltaKind.None && !(delta.Kind == ChatDeltaKind.Role && _roleSent))
        {
            _held = !flush;
            return sse.WriteEventAsync(null, Chunk(delta), flush, cancellationToken);
        }
        if (flush && _held)
        {
            // Nothing to send for this event, but what the previous ones left held must not wait on Bedrock.
            _held = false;
            return sse.FlushAsync(cancellationToken);
        }
        return ValueTask.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (includeUsage)
        {
            await sse.WriteEventAsync(null, UsageChunk(), cancellationToken).ConfigureAwait(false);
        }
        await sse.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task FailAsync(ApiError error, CancellationToken cancellationToken) => sse.FailAsync(error, cancellationToken);

    /// <summary>One chunk for one delta; the first one also names the role, as OpenAI's first chunk does.</summary>
    internal ReadOnlyMemory<byte> Chunk(ChatDelta delta)
    {
        Utf8JsonWriter json = Begin();
        json.WriteStartArray(ChoicesName);
        json.WriteStartObject();
        json.WriteNumber(IndexName, 0);
        json.WriteStartObject(DeltaName);
        if (!_roleSent)
        {
            json.WriteString("role", "assistant");
            _roleSent = true;
            if (delta.Kind == ChatDeltaKind.Role)
            {
                json.WriteString("content", "");
            }
        }
        switch (delta.Kind)
        {
            case ChatDeltaKind.Text:
                json.WriteString(ContentName, delta.Utf8Value.Span);
                break;
            case ChatDeltaKind.Reasoning:
                json.WriteString("reasoning_content", delta.Value);
                break;
            case ChatDeltaKind.ThinkingSigned or ChatDeltaKind.ThinkingRedacted:
                // The whole block in one entry, so a client that collects delta.thinking_blocks has exactly what to send back.
                json.WriteStartArray("thinking_blocks");
                (delta.Kind == ChatDeltaKind.ThinkingSigned
                    ? new ChatThinkingBlock(delta.Value ?? "", delta.Signature)
                    : ChatThinkingBlock.Redacted(delta.Value ?? "")).WriteTo(json);
                json.WriteEndArray();
                break;
            case ChatDeltaKind.ToolStart or ChatDeltaKind.ToolArguments:
                json.WriteStartArray("tool_calls");
                json.WriteStartObject();
                json.WriteNumber("index", delta.ToolIndex);
                if (delta.Kind == ChatDeltaKind.ToolStart)
                {
                    json.WriteString("id", delta.ToolId);
                    json.WriteString("type", "function");
                }
                json.WriteStartObject("function");
                if (delta.Kind == ChatDeltaKind.ToolStart)
                {
                    json.WriteString("name", delta.ToolName);
                }
                json.WriteString("arguments", delta.Kind == ChatDeltaKind.ToolStart ? "" : delta.Value);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                break;
        }
        json.WriteEndObject();
        json.WriteNull(LogprobsName);
        if (delta.Kind == ChatDeltaKind.Finish)
        {
            json.WriteString(FinishReasonName, FinishReasons.From(delta.Value));
        }
        else
        {
            json.WriteNull(FinishReasonName);
        }
        json.WriteEndObject();
        json.WriteEndArray();
        return End(json);
    }

    /// <summary>The last chunk when <c>stream_options.include_usage</c> is set: no choices, Bedrock's counts.</summary>
    internal ReadOnlyMemory<byte> UsageChunk()
    {
        Utf8JsonWriter json = Begin();
        json.WriteStartArray(ChoicesName);
        json.WriteEndArray();
        if (_usage is TokenUsage usage)
        {
            ChatCompletionJson.WriteUsage(json, usage);
        }
        else
        {
            json.WriteNull("usage");
        }
        return End(json);
    }

    public void Dispose() => _json?.Dispose();

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        if (_json is null)
        {
            _json = new Utf8JsonWriter(_buffer, JsonWriting.Readable);
        }
        else
        {
            _json.Reset(_buffer);
        }
        _json.WriteStartObject();
        _json.WriteString(IdName, _id);
        _json.WriteString(ObjectName, ChunkObject);
        _json.WriteNumber(CreatedName, created);
        _json.WriteString(ModelName, _model);
        return _json;
    }

    // The SSE sink copies the bytes before the next chunk reuses the buffer.
    private ReadOnlyMemory<byte> End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        return _buffer.WrittenMemory;
    }
}
