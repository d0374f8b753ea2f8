namespace BedrockLambdaProxy.Runtime;

/// <summary>The body of a streamed response: every flushing write leaves the process at once as one chunk.</summary>
internal interface IStreamedBody
{
    /// <summary>Sends <paramref name="data"/> as one HTTP/1.1 chunk and flushes it.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/>; with <paramref name="flush"/> false the caller says more data is
    /// already at hand (not merely expected), so the body may hold these bytes and send them in one
    /// chunk with what follows. They leave at the latest with the next flushing write,
    /// <see cref="CompleteAsync"/> or <see cref="FailAsync"/>. A body that does not gather flushes every write.
    /// </summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, bool flush, CancellationToken cancellationToken) =>
        WriteAsync(data, cancellationToken);

    /// <summary>
    /// Room for the next <paramref name="length"/> bytes of the body, for a writer that formats an event in place
    /// rather than in a buffer of its own that <see cref="WriteAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>
    /// would copy again. Nothing is written until <see cref="WriteReservedAsync"/> takes the first bytes of it; any
    /// other call on the body gives the room up. Never throws: on a body that has ended the write that follows does.
    /// </summary>
    Span<byte> Reserve(int length);

    /// <summary>Writes the first <paramref name="count"/> bytes of the room <see cref="Reserve"/> gave, as <see cref="WriteAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/> writes data.</summary>
    ValueTask WriteReservedAsync(int count, bool flush, CancellationToken cancellationToken);

    /// <summary>Ends the body normally (after anything held): the zero-length chunk, no trailers.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Ends the body as failed (after anything held): the zero-length chunk followed by the
    /// Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body trailers.
    /// </summary>
    Task FailAsync(string errorType, string errorMessage, CancellationToken cancellationToken);
}
