namespace BedrockLambdaProxy.Auth;

/// <summary>Values of the <c>status</c> attribute of API keys and customers.</summary>
internal static class ApiKeyStatus
{
    public const string Active = "active";
    public const string Revoked = "revoked";
}
