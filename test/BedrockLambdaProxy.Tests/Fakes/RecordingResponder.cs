using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Fakes;

/// <summary>Records what a handler answered, at the runtime seam (no sockets).</summary>
internal sealed class RecordingResponder : IInvocationResponder, IStreamedBody
{
    private readonly MemoryStream _body = new();
    private byte[] _reserved = [];

    public bool HasResponded { get; private set; }
    public byte[]? Buffered { get; private set; }
    public HttpResponsePrelude? Prelude { get; private set; }
    public List<byte[]> Chunks { get; } = [];
    public bool Completed { get; private set; }
    public (string Type, string Message)? Failure { get; private set; }

    public byte[] StreamedBody => _body.ToArray();

    /// <summary>When set, writes fail like a caller that went away.</summary>
    public bool ClientGone { get; set; }

    public Task SendBufferedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        EnsureFirst();
        Buffered = payload.ToArray();
        return Task.CompletedTask;
    }

    public Task<IStreamedBody> StartHttpStreamAsync(HttpResponsePrelude prelude, CancellationToken cancellationToken)
    {
        EnsureFirst();
        Prelude = prelude;
        return Task.FromResult<IStreamedBody>(this);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        WriteAsync(data, flush: true, cancellationToken);

    /// <summary>Like the real body: unflushed bytes are held and become part of the next chunk.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, bool flush, CancellationToken cancellationToken)
    {
        if (Completed || Failure is not null)
        {
            throw new InvalidOperationException("write after the end");
        }
        _held.Write(data.Span);
        if (flush)
        {
            if (ClientGone)
            {
                throw new IOException("client gone");
            }
            SendHeld();
        }
        return ValueTask.CompletedTask;
    }

    public Span<byte> Reserve(int length)
    {
        if (_reserved.Length < length)
        {
            _reserved = new byte[length];
        }
        return _reserved.AsSpan(0, length);
    }

    public ValueTask WriteReservedAsync(int count, bool flush, CancellationToken cancellationToken) =>
        WriteAsync(_reserved.AsMemory(0, count), flush, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (ClientGone)
        {
            // The end is a write too (the last chunk and the terminator).
            throw new IOException("client gone");
        }
        SendHeld();
        Completed = true;
        return Task.CompletedTask;
    }

    public Task FailAsync(string errorType, string errorMessage, CancellationToken cancellationToken)
    {
        if (!ClientGone)
        {
            SendHeld();
        }
        Failure = (errorType, errorMessage);
        return Task.CompletedTask;
    }

    /// <summary>Called after each chunk leaves, with the chunk (tests that must see a flush as it happens).</summary>
    public Action<byte[]>? OnChunk { get; set; }

    private readonly MemoryStream _held = new();

    private void SendHeld()
    {
        if (_held.Length == 0)
        {
            return;
        }
        byte[] chunk = _held.ToArray();
        _held.SetLength(0);
        Chunks.Add(chunk);
        _body.Write(chunk);
        OnChunk?.Invoke(chunk);
    }

    private void EnsureFirst()
    {
        if (HasResponded)
        {
            throw new InvalidOperationException("responded twice");
        }
        HasResponded = true;
    }
}
