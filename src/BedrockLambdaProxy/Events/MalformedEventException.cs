namespace BedrockLambdaProxy.Events;

/// <summary>The invocation payload is not an HTTP event we can serve; that invocation fails, the loop goes on.</summary>
internal sealed class MalformedEventException(string message, Exception? inner = null) : Exception(message, inner);
