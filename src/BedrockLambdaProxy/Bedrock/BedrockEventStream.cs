using System.Buffers;
using System.Buffers.Binary;
using Amazon.Runtime.EventStreams;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// A Bedrock application/vnd.amazon.eventstream response, read one whole frame at a time: the
/// 4-byte total length, then the rest of the frame into a pooled buffer, then AWSSDK.Core's decoder
/// (which checks both CRCs). Disposing it before the end aborts the upstream request.
/// </summary>
internal sealed class BedrockEventStream : IAsyncDisposable
{
    /// <summary>Prelude (total length, headers length, prelude CRC) plus the message CRC.</summary>
    public const int MinFrameLength = 16;

    /// <summary>The event-stream format caps a message at 16 MiB; a bigger length means garbage.</summary>
    public const int MaxFrameLength = 16 * 1024 * 1024;

    private const int InitialBufferLength = 16 * 1024;

    private readonly HttpResponseMessage? _response;
    private readonly Stream _body;
    private byte[] _buffer;
    private bool _ended;
    private bool _failed;
    private bool _disposed;

    public BedrockEventStream(HttpResponseMessage? response, Stream body, BedrockResponseHeaders headers)
    {
        _response = response;
        _body = body;
        Headers = headers;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferLength);
    }

    /// <summary>The pass-through headers of the 200 response (x-amzn-RequestId, Content-Type, …).</summary>
    public BedrockResponseHeaders Headers { get; }

    /// <summary>The region that answered and the attempts it took; null only for streams not opened by <see cref="BedrockClient"/>.</summary>
    public BedrockRoute? Route { get; init; }

    /// <summary>
    /// The next frame, or null when the body ended cleanly on a frame boundary. Throws
    /// <see cref="BedrockStreamException"/> when the upstream stream breaks, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async ValueTask<BedrockStreamEvent?> ReadNextAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            // A broken stream must never read as a clean end on a later call.
            throw new BedrockStreamException("Bedrock's event stream already failed.");
        }
        if (_ended)
        {
            return null;
        }
        try
        {
            return await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BedrockStreamException or OperationCanceledException)
        {
            _failed = true;
            throw;
        }
    }

    private async ValueTask<BedrockStreamEvent?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        int got = await ReadAsync(_buffer.AsMemory(0, 4), cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            _ended = true;
            return null;
        }
        if (got < 4)
        {
            throw new BedrockStreamException($"Bedrock's event stream ended inside a frame prelude ({got} of 4 length bytes).");
        }
        uint total = BinaryPrimitives.ReadUInt32BigEndian(_buffer);
        if (total is < MinFrameLength or > MaxFrameLength)
        {
            throw new BedrockStreamException($"Bedrock's event stream announced an impossible frame length {total}.");
        }
        int length = (int)total;
        EnsureCapacity(length);
        got = await ReadAsync(_buffer.AsMemory(4, length - 4), cancellationToken).ConfigureAwait(false);
        if (got < length - 4)
        {
            throw new BedrockStreamException($"Bedrock's event stream ended inside a frame ({4 + got} of {length} bytes).");
        }
        return Decode(length);
    }

    private BedrockStreamEvent Decode(int length)
    {
        EventStreamMessage message;
        try
        {
            message = EventStreamMessage.FromBuffer(_buffer, 0, length);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // EventStreamChecksumFailureException for a CRC mismatch; anything else is a malformed frame.
            throw new BedrockStreamException($"Bedrock sent a corrupt event-stream frame: {e.Message}", e);
        }
        string? messageType = HeaderString(message, ":message-type");
        BedrockStreamMessageType type = messageType switch
        {
            "event" => BedrockStreamMessageType.Event,
            "exception" => BedrockStreamMessageType.Exception,
            "error" => BedrockStreamMessageType.Error,
            _ => throw new BedrockStreamException($"Bedrock sent a frame with unknown :message-type '{messageType}'."),
        };
        string? eventType = type == BedrockStreamMessageType.Event ? HeaderString(message, ":event-type") : null;
        string? exceptionType = type switch
        {
            BedrockStreamMessageType.Exception => HeaderString(message, ":exception-type"),
            BedrockStreamMessageType.Error => HeaderString(message, ":error-code"),
            _ => null,
        };
        return new BedrockStreamEvent(
            _buffer.AsMemory(0, length), type, eventType, exceptionType, HeaderString(message, ":content-type"), message.Payload ?? []);
    }

    private static string? HeaderString(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out IEventStreamHeader? header) && header.HeaderType == EventStreamHeaderType.String
            ? header.AsString()
            : null;

    private async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await _body.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A read aborted by our own token is the caller leaving, not Bedrock failing.
            cancellationToken.ThrowIfCancellationRequested();
            throw new BedrockStreamException("The connection to Bedrock failed in the middle of the event stream.", e);
        }
    }

    private void EnsureCapacity(int length)
    {
        if (_buffer.Length >= length)
        {
            return;
        }
        byte[] bigger = ArrayPool<byte>.Shared.Rent(length);
        _buffer.AsSpan(0, 4).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _body.DisposeAsync().ConfigureAwait(false);
        // Disposing an unfinished response closes its connection instead of draining it: that is the abort.
        _response?.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
