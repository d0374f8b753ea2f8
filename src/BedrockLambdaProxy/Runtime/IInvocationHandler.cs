namespace BedrockLambdaProxy.Runtime;

/// <summary>The function's code for one invocation; the runtime loop calls it once per event.</summary>
internal interface IInvocationHandler
{
    /// <summary>
    /// Answers the invocation through <paramref name="responder"/> exactly once. The token is
    /// cancelled at the invocation deadline. An exception thrown before anything was sent becomes
    /// an invocation error; one thrown after a stream started ends that stream with error trailers.
    /// </summary>
    Task HandleAsync(Invocation invocation, IInvocationResponder responder, CancellationToken cancellationToken);
}
