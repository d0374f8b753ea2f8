namespace BedrockSimulator.Auth;

/// <summary>Result of checking a request's credentials: accepted, or the AWS error type and message to answer with.</summary>
internal readonly record struct AuthOutcome(bool Accepted, string ErrorType, string Message)
{
    public static AuthOutcome Ok { get; } = new(true, string.Empty, string.Empty);

    public static AuthOutcome Reject(string errorType, string message) => new(false, errorType, message);
}
