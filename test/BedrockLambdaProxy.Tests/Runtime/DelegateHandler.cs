using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>An invocation handler made of a lambda, for driving the runtime loop in tests.</summary>
internal sealed class DelegateHandler(Func<Invocation, IInvocationResponder, CancellationToken, Task> handle) : IInvocationHandler
{
    public Task HandleAsync(Invocation invocation, IInvocationResponder responder, CancellationToken cancellationToken) =>
        handle(invocation, responder, cancellationToken);
}
