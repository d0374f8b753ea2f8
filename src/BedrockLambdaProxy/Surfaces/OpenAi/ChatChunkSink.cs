using System.Buffers;
using System.Runtime.CompilerServices;
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
/// flushes what an earlier one left held. Text deltas that arrived together also share one chunk (their
/// texts one after the other, as a client joins them anyway): nothing waits for that, since the chunk
/// is closed and sent as soon as the next event is not already here, and a relay that has fallen
/// behind Bedrock catches up with a fraction of the bytes and JSON it would write chunk by chunk.
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

    /// <summary>What closes a text chunk after its content string (as <see cref="Chunk"/> writes it), then its SSE event.</summary>
    private static readonly byte[] TextEventEnd = [.. "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"u8];

    /// <summary>A shared text chunk is sent once its text reaches this size, even if more has arrived.</summary>
    private const int MaxSharedText = 32 * 1024;

    private readonly ConverseStreamReader _reader = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly JsonEncodedText _id = JsonEncodedText.Encode(id, JsonWriting.Readable.Encoder);
    private readonly JsonEncodedText _model = JsonEncodedText.Encode(model, JsonWriting.Readable.Encoder);
    private Utf8JsonWriter? _json;
    private TokenUsage? _usage;
    private bool _roleSent;

    /// <summary>True while a chunk written without a flush waits in the body.</summary>
    private bool _held;

    /// <summary>A text chunk's SSE event up to the content's opening quote: <c>data: </c>, then the chunk as <see cref="Chunk"/> starts it.</summary>
    private byte[]? _textEventStart;

    /// <summary>
    /// Bytes of text in the open text chunk; -1 when none is open. The chunk is written into the body as it grows
    /// (its opening, then each text, held), so a text is copied once, and <see cref="EndTextChunkAsync"/> ends it.
    /// </summary>
    private int _openText = -1;

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush: true, cancellationToken);

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken)
    {
        ChatDelta delta = _reader.Read(eventName, json);
        if (delta.Kind == ChatDeltaKind.Text && delta.Utf8IsJsonString && _roleSent)
        {
            return AddTextAsync(delta.Utf8Value, flush, cancellationToken);
        }
        return _openText >= 0 ? WriteTextChunkThenAsync(delta, flush, cancellationToken) : WriteDeltaAsync(delta, flush, cancellationToken);
    }

    /// <summary>A plain text delta the relay found (verbatim, so a JSON string's content as it is): the reader's search is not repeated.</summary>
    public ValueTask WriteTextDeltaAsync(string? eventName, ReadOnlyMemory<byte> json, Range text, bool flush, CancellationToken cancellationToken) =>
        _roleSent
            ? AddTextAsync(json[text], flush, cancellationToken)
            : WriteEventAsync(eventName, json, flush, cancellationToken);

    /// <summary>
    /// Adds a verbatim text to the open text chunk (opening one first), held in the body; ends the chunk when
    /// nothing else is at hand or its text is big enough.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AddTextAsync(ReadOnlyMemory<byte> utf8, bool flush, CancellationToken cancellationToken)
    {
        if (_openText < 0)
        {
            await sse.WriteRawAsync(_textEventStart ??= TextEventStart(), flush: false, cancellationToken).ConfigureAwait(false);
            _openText = 0;
        }
        await sse.WriteRawAsync(utf8, flush: false, cancellationToken).ConfigureAwait(false);
        _openText += utf8.Length;
        _held = true;
        if (flush || _openText >= MaxSharedText)
        {
            await EndTextChunkAsync(flush, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await EndTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
        if (includeUsage)
        {
            await sse.WriteEventAsync(null, UsageChunk(), cancellationToken).ConfigureAwait(false);
        }
        await sse.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FailAsync(ApiError error, CancellationToken cancellationToken)
    {
        try
        {
            // The text that arrived before the failure goes out before the error, as it did when each event was its own chunk.
            await EndTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await sse.FailAsync(error, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask WriteDeltaAsync(ChatDelta delta, bool flush, CancellationToken cancellationToken)
    {
        if (delta.Kind == ChatDeltaKind.Usage)
        {
            _usage = delta.Usage ?? _usage;
        }
        else if (delta.Kind != ChatDeltaKind.None && !(delta.Kind == ChatDeltaKind.Role && _roleSent))
        {
            _held = !flush;
            // The writer escapes every control character: a chunk is one line.
            return sse.WriteLineEventAsync(null, Chunk(delta), flush, cancellationToken);
        }
        if (flush && _held)
        {
            // Nothing to send for this event, but what the previous ones left held must not wait on Bedrock.
            _held = false;
            return sse.FlushAsync(cancellationToken);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Another kind of event after texts that arrived together: their chunk leaves first, held with this one.</summary>
    private async ValueTask WriteTextChunkThenAsync(ChatDelta delta, bool flush, CancellationToken cancellationToken)
    {
        await EndTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
        await WriteDeltaAsync(delta, flush, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the open text chunk (when none is open, a flush still sends what earlier events left held).</summary>
    private async ValueTask EndTextChunkAsync(bool flush, CancellationToken cancellationToken)
    {
        if (_openText < 0)
        {
            if (flush && _held)
            {
                await WriteDeltaAsync(ChatDelta.Nothing, flush, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        // Still open if this write is refused (a cancelled token adds nothing): FailAsync then ends it before the error.
        await sse.WriteRawAsync(TextEventEnd, flush, cancellationToken).ConfigureAwait(false);
        _openText = -1;
        _held = !flush;
    }

    /// <summary>A text chunk's event as <see cref="SseEventSink"/> and <see cref="Chunk"/> write it, up to and including the content's opening quote.</summary>
    private byte[] TextEventStart()
    {
        Utf8JsonWriter json = Begin();
        json.WriteStartArray(ChoicesName);
        json.WriteStartObject();
        json.WriteNumber(IndexName, 0);
        json.WriteStartObject(DeltaName);
        json.WriteString(ContentName, "");
        json.Flush();
        // The writer ends the empty string with its closing quote: everything before that is the opening.
        return [.. "data: "u8, .. _buffer.WrittenSpan[..^1]];
    }

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
