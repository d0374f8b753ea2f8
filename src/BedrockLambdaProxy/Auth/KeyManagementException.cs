namespace BedrockLambdaProxy.Auth;

/// <summary>An operator's key or customer operation that cannot be done (unknown id, wrong state); the message says why.</summary>
internal sealed class KeyManagementException(string message) : Exception(message);
