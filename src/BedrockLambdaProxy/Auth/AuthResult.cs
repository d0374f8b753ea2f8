namespace BedrockLambdaProxy.Auth;

/// <summary>
/// The outcome of <see cref="ApiKeyAuthenticator.AuthenticateAsync"/>: the customer on success,
/// otherwise the HTTP status, a stable error code and a message safe to return to the caller
/// (it speaks only about the presented key, never about other keys or customers).
/// </summary>
internal sealed record AuthResult
{
    private AuthResult(AuthResultKind kind, int statusCode, string errorCode, string message, CustomerContext? customer)
    {
        Kind = kind;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Message = message;
        Customer = customer;
    }

    public AuthResultKind Kind { get; }
    /// <summary>200 on success; 400, 401, 403 or 503 otherwise.</summary>
    public int StatusCode { get; }
    /// <summary>Machine-readable reason (missing_api_key, invalid_api_key, …); surfaces may map it to their error shape.</summary>
    public string ErrorCode { get; }
    public string Message { get; }
    public CustomerContext? Customer { get; }
    /// <summary>For operators' logs on Unavailable: the failure's type and AWS error code, never key material.</summary>
    public string? FailureDetail { get; private init; }

    public bool IsSuccess => Kind == AuthResultKind.Success;

    /// <summary>The WWW-Authenticate value every 401 (and the 400 invalid_request) carries (RFC 6750 §3), null otherwise.</summary>
    public string? WwwAuthenticate => StatusCode == 400 ? "Bearer error=\"invalid_request\""
        : StatusCode != 401 ? null
        : Kind == AuthResultKind.Missing ? "Bearer" : "Bearer error=\"invalid_token\"";

    public static AuthResult Success(CustomerContext customer) => new(AuthResultKind.Success, 200, "", "", customer);

    public static AuthResult Missing { get; } = new(AuthResultKind.Missing, 401, "missing_api_key",
        "Missing API key. Send 'Authorization: Bearer <api key>'.", null);

    public static AuthResult NotBearer { get; } = new(AuthResultKind.Malformed, 401, "invalid_authorization",
        "The Authorization header must be 'Bearer <api key>'.", null);

    /// <summary>More than one credential (RFC 6750 §3.1 invalid_request: 400, not 401).</summary>
    public static AuthResult MultipleCredentials { get; } = new(AuthResultKind.Malformed, 400, "invalid_request",
        "Send exactly one Authorization header ('Bearer <api key>'); this request carries several.", null);

    public static AuthResult MalformedKey { get; } = new(AuthResultKind.Malformed, 401, "invalid_api_key",
        "The API key is malformed.", null);

    public static AuthResult SigV4Signed { get; } = new(AuthResultKind.SigV4Signed, 401, "sigv4_not_accepted",
        "This proxy does not accept AWS SigV4 signatures. Use your proxy API key as a Bedrock API key "
        + "(AWS_BEARER_TOKEN_BEDROCK, sent as 'Authorization: Bearer <api key>').", null);

    public static AuthResult UnknownKey { get; } = new(AuthResultKind.UnknownKey, 401, "invalid_api_key",
        "The API key is not valid.", null);

    public static AuthResult Revoked { get; } = new(AuthResultKind.Revoked, 401, "revoked_api_key",
        "The API key has been revoked.", null);

    public static AuthResult Expired { get; } = new(AuthResultKind.Expired, 401, "expired_api_key",
        "The API key has expired.", null);

    public static AuthResult CustomerSuspended { get; } = new(AuthResultKind.CustomerSuspended, 403, "customer_suspended",
        "The account this API key belongs to is suspended.", null);

    public static AuthResult Unavailable(string failureDetail) => new(AuthResultKind.Unavailable, 503, "auth_unavailable",
        "Authentication is temporarily unavailable. Retry shortly.", null) { FailureDetail = failureDetail };
}
