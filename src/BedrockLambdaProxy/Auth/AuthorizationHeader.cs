namespace BedrockLambdaProxy.Auth;

/// <summary>
/// Splits an Authorization header into what the authenticator needs, without I/O, strictly per
/// RFC 9110 §11.4 / §11.6.2 and RFC 6750 §2.1: <c>credentials = auth-scheme 1*SP token68</c>,
/// one header value only (https://www.rfc-editor.org/rfc/rfc9110#section-11.4).
/// </summary>
internal static class AuthorizationHeader
{
    /// <summary>How the header looked.</summary>
    internal enum Shape
    {
        Missing,
        Bearer,
        /// <summary>"Bearer" with nothing after it, or another scheme (Basic, …), or a credential that is not one token68.</summary>
        NotBearer,
        SigV4,
        /// <summary>Two or more Authorization values: repeated headers reach us joined by commas (RFC 9110 §5.3).</summary>
        Multiple,
    }

    /// <summary>Classifies the header; for <see cref="Shape.Bearer"/> <paramref name="token"/> is the credential.</summary>
    public static Shape Parse(string? header, out string token)
    {
        token = "";
        // Leading and trailing whitespace is not part of a field value (RFC 9110 §5.5).
        ReadOnlySpan<char> value = header.AsSpan().Trim(" \t");
        if (value.IsEmpty)
        {
            return Shape.Missing;
        }
        // An AWS SDK without a bearer token signs with SigV4: "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…"
        // (its auth-params legitimately contain commas, so this comes before the one-value check).
        if (value.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            return Shape.SigV4;
        }
        // Repeated Authorization headers arrive joined with ", " from both fronts (Function URL joins
        // them; the API Gateway adapter joins multiValueHeaders). Neither token68 nor a scheme may
        // contain a comma, so a comma means more than one credential: refuse rather than pick one.
        if (value.Contains(','))
        {
            return Shape.Multiple;
        }
        int space = value.IndexOf(' ');
        if (space < 0)
        {
            return Shape.NotBearer;
        }
        // The scheme is case-insensitive (RFC 9110 §11.1), so "bearer" works too.
        if (!value[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Shape.NotBearer;
        }
        // 1*SP between scheme and credential: spaces only, no tabs.
        ReadOnlySpan<char> credential = value[space..].TrimStart(' ');
        if (!IsToken68(credential))
        {
            return Shape.NotBearer;
        }
        token = credential.ToString();
        return Shape.Bearer;
    }

    /// <summary>token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 9110 §11.2).</summary>
    internal static bool IsToken68(ReadOnlySpan<char> value)
    {
        int end = value.Length;
        while (end > 0 && value[end - 1] == '=')
        {
            end--;
        }
        if (end == 0)
        {
            return false;
        }
        foreach (char c in value[..end])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_' or '~' or '+' or '/'))
            {
                return false;
            }
        }
        return true;
    }
}
