namespace BedrockSimulator.Faults;

/// <summary>The failures the simulator can act out, chosen per request.</summary>
internal enum FaultKind
{
    None,
    Throttle,
    FailAfter,
    HangAfter,
    Hang,
    Validation,
    AccessDenied,
    /// <summary>An IAM denial, whose message names the caller's role ARN and account as Bedrock's does.</summary>
    AccessDeniedRole,
    NotFound,
    ModelTimeout,
    Unavailable,
    NotReady,
    InternalError,
}
