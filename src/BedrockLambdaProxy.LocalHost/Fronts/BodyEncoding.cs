namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>Whether a request body travels in the event as text or as base64, as Lambda's HTTP fronts decide.</summary>
internal static class BodyEncoding
{
    /// <summary>
    /// Text content types pass through as strings; anything else (or no content type) is base64,
    /// so binary bodies survive the JSON event intact.
    /// </summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal)
            || type.EndsWith("/json", StringComparison.Ordinal)
            || type.EndsWith("+json", StringComparison.Ordinal)
            || type.EndsWith("/xml", StringComparison.Ordinal)
            || type.EndsWith("+xml", StringComparison.Ordinal)
            || type == "application/javascript"
            || type == "application/x-www-form-urlencoded";
    }

    /// <summary>The event's body and isBase64Encoded for a raw request body (null body when empty).</summary>
    public static (string? Body, bool IsBase64) ForEvent(byte[] body, string? contentType)
    {
        if (body.Length == 0)
        {
            return (null, false);
        }

        return IsText(contentType)
            ? (System.Text.Encoding.UTF8.GetString(body), false)
            : (Convert.ToBase64String(body), true);
    }
}
