namespace BedrockLambdaProxy.Admin;

/// <summary>A failure the operator can act on; printed as "error: message" with the given exit code.</summary>
internal sealed class AdminException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
