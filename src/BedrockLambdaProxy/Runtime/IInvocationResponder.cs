namespace BedrockLambdaProxy.Runtime;

/// <summary>How a handler answers one invocation: one buffered payload, or one streamed HTTP response.</summary>
internal interface IInvocationResponder
{
    /// <summary>True once a buffered payload was sent or a stream was started.</summary>
    bool HasResponded { get; }

    /// <summary>POSTs the whole payload to <c>/invocation/{id}/response</c>.</summary>
    Task SendBufferedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a streamed <c>/invocation/{id}/response</c> (response mode "streaming", content type
    /// application/vnd.awslambda.http-integration-response), writes the JSON prelude and the
    /// 8 NUL separator, and returns the body to write into.
    /// </summary>
    Task<IStreamedBody> StartHttpStreamAsync(HttpResponsePrelude prelude, CancellationToken cancellationToken);
}
