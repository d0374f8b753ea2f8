namespace BedrockLambdaProxy.Runtime;

/// <summary>The function's code for one invocation; the runtime loop calls it once per event.</summary>
internal interface IInvocationHandler
{
    /// <summary>
    /// Answers the invocation through <paramref name="responder"/> exactly once. The token is
    /// cancelled at the invocation deadline. An exception thrown before anything was sent becomes
    /// an invocation error; one thrown after a stream started ends that stream with error trailers.
    /// Returning without answering, or with a stream not yet completed or failed, is reported the
    /// same way (Runtime.NoResponse, Runtime.StreamNotCompleted): the loop never completes a
    /// stream on the handler's behalf, so a cut-short answer cannot pass for a whole one.
    /// </summary>
    Task HandleAsync(Invocation invocation, IInvocationResponder responder, CancellationToken cancellationToken);
}
