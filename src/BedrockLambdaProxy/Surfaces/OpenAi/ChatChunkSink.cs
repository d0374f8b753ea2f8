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
internal sealed class ChatChunkSink(SseEventSink sse, string id, long created, string model, bool includeUsage) : IStreamEventSink
{
    private readonly ConverseStreamReader _reader = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private TokenUsage? _usage;
    private bool _roleSent;

    public async ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        ChatDelta delta = _reader.Read(eventName, json);
        if (delta.Kind == ChatDeltaKind.Usage)
        {
            _usage = delta.Usage ?? _usage;
            return;
        }
        if (delta.Kind == ChatDeltaKind.None || (delta.Kind == ChatDeltaKind.Role && _roleSent))
        {
            return;
        }
        await sse.WriteEventAsync(null, Chunk(delta), cancellationToken).ConfigureAwait(false);
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
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
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
                json.WriteString("content", delta.Value);
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
        json.WriteNull("logprobs");
        if (delta.Kind == ChatDeltaKind.Finish)
        {
            json.WriteString("finish_reason", FinishReasons.From(delta.Value));
        }
        else
        {
            json.WriteNull("finish_reason");
        }
        json.WriteEndObject();
        json.WriteEndArray();
        return End(json);
    }

    /// <summary>The last chunk when <c>stream_options.include_usage</c> is set: no choices, Bedrock's counts.</summary>
    internal ReadOnlyMemory<byte> UsageChunk()
    {
        Utf8JsonWriter json = Begin();
        json.WriteStartArray("choices");
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

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        var json = new Utf8JsonWriter(_buffer, JsonWriting.Readable);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "chat.completion.chunk");
        json.WriteNumber("created", created);
        json.WriteString("model", model);
        return json;
    }

    // The SSE sink copies the bytes before the next chunk reuses the buffer.
    private ReadOnlyMemory<byte> End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        json.Dispose();
        return _buffer.WrittenMemory;
    }
}
