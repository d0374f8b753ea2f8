namespace BedrockLambdaProxy.Auth;

/// <summary>Splits an Authorization header into what the authenticator needs, without I/O.</summary>
internal static class AuthorizationHeader
{
    /// <summary>How the header looked.</summary>
    internal enum Shape
    {
        Missing,
        Bearer,
        /// <summary>"Bearer" with nothing after it, or another scheme (Basic, …).</summary>
        NotBearer,
        SigV4,
    }

    /// <summary>Classifies the header; for <see cref="Shape.Bearer"/> <paramref name="token"/> is the credential.</summary>
    public static Shape Parse(string? header, out string token)
    {
        token = "";
        ReadOnlySpan<char> value = header.AsSpan().Trim();
        if (value.IsEmpty)
        {
            return Shape.Missing;
        }
        // An AWS SDK without a bearer token signs with SigV4: "AWS4-HMAC-SHA256 Credential=…".
        if (value.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            return Shape.SigV4;
        }
        int space = value.IndexOfAny(' ', '\t');
        if (space < 0)
        {
            return Shape.NotBearer;
        }
        // The scheme is case-insensitive (RFC 9110 §11.1), so "bearer" works too.
        if (!value.Slice(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Shape.NotBearer;
        }
        ReadOnlySpan<char> credential = value.Slice(space + 1).Trim();
        if (credential.IsEmpty)
        {
            return Shape.NotBearer;
        }
        token = credential.ToString();
        return Shape.Bearer;
    }
}
