namespace BedrockLambdaProxy.Runtime;

/// <summary>The body of a streamed response: every write leaves the process at once as one chunk.</summary>
internal interface IStreamedBody
{
    /// <summary>Sends <paramref name="data"/> as one HTTP/1.1 chunk and flushes it.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Ends the body normally: the zero-length chunk, no trailers.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Ends the body as failed: the zero-length chunk followed by the
    /// Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body trailers.
    /// </summary>
    Task FailAsync(string errorType, string errorMessage, CancellationToken cancellationToken);
}
