namespace BedrockLambdaProxy.Routing;

/// <summary>
/// Matches a method and path to a route. Paths are compared exactly (a trailing slash is
/// ignored); <c>{modelId}</c> takes everything between its neighbours, because model ARNs contain
/// slashes (percent-encoded as one segment by SDKs, but decoded by some fronts).
/// </summary>
internal sealed class Router(IReadOnlyList<Route> routes)
{
    private const string ModelIdToken = "{modelId}";
    private static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();

    public RouteMatch Match(string method, string path)
    {
        string normalized = path.Length > 1 && path.EndsWith('/') ? path.TrimEnd('/') : path;
        var allowed = new List<string>();
        ErrorStyle style = normalized.StartsWith("/model/", StringComparison.Ordinal) ? ErrorStyle.Aws
            : normalized.StartsWith("/v1/messages/", StringComparison.Ordinal) ? ErrorStyle.Anthropic
            : normalized.StartsWith("/v1/", StringComparison.Ordinal) ? ErrorStyle.OpenAi
            : ErrorStyle.Proxy;
        foreach (Route route in routes)
        {
            if (!TryMatch(route.Pattern, normalized, out IReadOnlyDictionary<string, string> values))
            {
                continue;
            }
            if (string.Equals(route.Method, method, StringComparison.Ordinal))
            {
                return new RouteMatch(route, values, [], route.Style);
            }
            allowed.Add(route.Method);
            style = route.Style;
        }
        return new RouteMatch(null, NoValues, allowed, style);
    }

    private static bool TryMatch(string pattern, string path, out IReadOnlyDictionary<string, string> values)
    {
        values = NoValues;
        int token = pattern.IndexOf(ModelIdToken, StringComparison.Ordinal);
        if (token < 0)
        {
            return string.Equals(pattern, path, StringComparison.Ordinal);
        }
        string prefix = pattern[..token];
        string suffix = pattern[(token + ModelIdToken.Length)..];
        if (path.Length <= prefix.Length + suffix.Length
            || !path.StartsWith(prefix, StringComparison.Ordinal)
            || !path.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        string raw = path[prefix.Length..^suffix.Length];
        // Unescape exactly once: "%3A" → ":", "%2F" → "/". Whatever that yields is validated
        // against Bedrock's model id pattern before any use.
        values = new Dictionary<string, string>(StringComparer.Ordinal) { ["modelId"] = Uri.UnescapeDataString(raw) };
        return true;
    }
}
