namespace BedrockLambdaProxy.Auth;

/// <summary>Values of the customer item's <c>status</c> attribute; anything but active is refused.</summary>
internal static class CustomerStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}
