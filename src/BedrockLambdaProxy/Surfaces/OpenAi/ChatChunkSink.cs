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

    /// <summary>What closes a text chunk after its content string (as <see cref="Chunk"/> writes it).</summary>
    private static ReadOnlySpan<byte> TextChunkEnd => "\"},\"logprobs\":null,\"finish_reason\":null}]}"u8;

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

    /// <summary>The open text chunk: its opening up to the content's quote, then the texts so far; empty when none is open.</summary>
    private readonly ArrayBufferWriter<byte> _text = new(4096);
    private byte[]? _textChunkStart;

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        WriteEventAsync(eventName, json, flush: true, cancellationToken);

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken)
    {
        ChatDelta delta = _reader.Read(eventName, json);
        if (delta.Kind == ChatDeltaKind.Text && delta.Utf8IsJsonString && _roleSent)
        {
            return AddTextAsync(delta.Utf8Value.Span, flush, cancellationToken);
        }
        return _text.WrittenCount > 0 ? WriteTextChunkThenAsync(delta, flush, cancellationToken) : WriteDeltaAsync(delta, flush, cancellationToken);
    }

    /// <summary>A plain text delta the relay found (verbatim, so a JSON string's content as it is): the reader's search is not repeated.</summary>
    public ValueTask WriteTextDeltaAsync(ReadOnlyMemory<byte> json, Range text, bool flush, CancellationToken cancellationToken) =>
        _roleSent
            ? AddTextAsync(json.Span[text], flush, cancellationToken)
            : WriteEventAsync("contentBlockDelta", json, flush, cancellationToken);

    /// <summary>Adds a verbatim text to the open text chunk; sends the chunk when nothing else is at hand or it is big enough.</summary>
    private ValueTask AddTextAsync(ReadOnlySpan<byte> utf8, bool flush, CancellationToken cancellationToken)
    {
        AddText(utf8);
        return flush || _text.WrittenCount >= MaxSharedText ? WriteTextChunkAsync(flush, cancellationToken) : ValueTask.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await WriteTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
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
            await WriteTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
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
        await WriteTextChunkAsync(flush: false, cancellationToken).ConfigureAwait(false);
        await WriteDeltaAsync(delta, flush, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the open text chunk and writes it (nothing when none is open).</summary>
    private ValueTask WriteTextChunkAsync(bool flush, CancellationToken cancellationToken)
    {
        if (_text.WrittenCount == 0)
        {
            return flush && _held ? WriteDeltaAsync(ChatDelta.Nothing, flush, cancellationToken) : ValueTask.CompletedTask;
        }
        _text.Write(TextChunkEnd);
        _held = !flush;
        ValueTask write = sse.WriteLineEventAsync(null, _text.WrittenMemory, flush, cancellationToken);
        // The SSE sink has copied the chunk (or failed) by the time it returns: the buffer is free again.
        _text.ResetWrittenCount();
        return write;
    }

    private void AddText(ReadOnlySpan<byte> utf8)
    {
        if (_text.WrittenCount == 0)
        {
            _text.Write(_textChunkStart ??= TextChunkStart());
        }
        _text.Write(utf8);
    }

    /// <summary>A text chunk as <see cref="Chunk"/> writes it, up to and including the content's opening quote.</summary>
    private byte[] TextChunkStart()
    {
        Utf8JsonWriter json = Begin();
        json.WriteStartArray(ChoicesName);
        json.WriteStartObject();
        json.WriteNumber(IndexName, 0);
        json.WriteStartObject(DeltaName);
        json.WriteString(ContentName, "");
        json.Flush();
        // The writer ends the empty string with its closing quote: everything before that is the opening.
        return _buffer.WrittenSpan[..^1].ToArray();
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
