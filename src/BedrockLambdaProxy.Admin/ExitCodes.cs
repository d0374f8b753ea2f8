namespace BedrockLambdaProxy.Admin;

/// <summary>The admin tool's exit codes, so scripts can tell a typo from an outage.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The operation could not be done: unknown customer or key, wrong state, already exists.</summary>
    public const int Failed = 1;
    /// <summary>The command line or a setting is invalid.</summary>
    public const int Usage = 2;
    /// <summary>DynamoDB could not be reached or refused the request.</summary>
    public const int Unavailable = 3;
}
