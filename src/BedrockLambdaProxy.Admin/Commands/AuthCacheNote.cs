namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>What keys revoke and customers suspend / resume print: when warm functions notice (ApiKeyAuthenticator).</summary>
internal static class AuthCacheNote
{
    public const string Text =
        "Warm functions apply this within AUTH_CACHE_SECONDS (default 60 s) while DynamoDB answers, and within "
        + "AUTH_CACHE_SECONDS + AUTH_STALE_IF_ERROR_SECONDS (default 60 + 60 s) while their DynamoDB lookups fail.";
}
