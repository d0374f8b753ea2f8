using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Fakes;

/// <summary>Records what a handler answered, at the runtime seam (no sockets).</summary>
internal sealed class RecordingResponder : IInvocationResponder, IStreamedBody
{
    private readonly MemoryStream _body = new();

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

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Completed || Failure is not null)
        {
            throw new InvalidOperationException("write after the end");
        }
        if (ClientGone)
        {
            throw new IOException("client gone");
        }
        Chunks.Add(data.ToArray());
        _body.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        Completed = true;
        return Task.CompletedTask;
    }

    public Task FailAsync(string errorType, string errorMessage, CancellationToken cancellationToken)
    {
        Failure = (errorType, errorMessage);
        return Task.CompletedTask;
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
