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
    NotFound,
    ModelTimeout,
    Unavailable,
    NotReady,
    InternalError,
}
