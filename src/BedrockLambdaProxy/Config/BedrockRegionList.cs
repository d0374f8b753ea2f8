using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Config;

/// <summary>
/// Reads the failover list: <c>BEDROCK_REGIONS</c> (ordered, comma-separated region names) and
/// <c>BEDROCK_ENDPOINTS</c> (ordered <c>region=url</c> pairs, for the simulator or a VPC endpoint).
/// </summary>
/// <remarks>
/// The order is BEDROCK_REGIONS, else the order of BEDROCK_ENDPOINTS, else AWS_REGION alone (today's
/// behaviour). A region's endpoint is its BEDROCK_ENDPOINTS entry, else BEDROCK_ENDPOINT when the
/// region is AWS_REGION (the single-endpoint setting keeps meaning "the home region's endpoint"),
/// else the public https://bedrock-runtime.{region}.amazonaws.com. Anything ambiguous — an unknown
/// region in BEDROCK_ENDPOINTS, a BEDROCK_ENDPOINT that no listed region would use, a duplicate, a
/// malformed name — fails start-up, because a silently ignored failover setting is found only
/// during the outage it was meant for.
/// </remarks>
internal static class BedrockRegionList
{
    public static Uri PublicEndpoint(string region) => BedrockHttp.DefaultEndpoint(region);

    /// <summary>Null when neither list is set (the caller falls back to the single home region).</summary>
    public static IReadOnlyList<BedrockRegion>? Parse(string home, Uri? homeEndpoint, string? regions, string? endpoints)
    {
        Dictionary<string, Uri> byRegion = ParseEndpoints(endpoints, out List<string> endpointOrder);
        List<string> order = string.IsNullOrWhiteSpace(regions) ? endpointOrder : ParseRegions(regions);
        if (order.Count == 0)
        {
            return null;
        }
        foreach (string named in byRegion.Keys)
        {
            if (!order.Contains(named))
            {
                throw new InvalidOperationException(
                    $"{ProxySettings.Names.BedrockEndpoints} names region '{named}', which {ProxySettings.Names.BedrockRegions} does not list.");
            }
        }
        if (homeEndpoint is not null && !order.Contains(home))
        {
            throw new InvalidOperationException(
                $"{ProxySettings.Names.BedrockEndpoint} is the endpoint of {ProxySettings.Names.Region} '{home}', which "
                + $"{ProxySettings.Names.BedrockRegions} does not list; use {ProxySettings.Names.BedrockEndpoints} (region=url,…) instead.");
        }
        var list = new List<BedrockRegion>(order.Count);
        foreach (string region in order)
        {
            Uri endpoint = byRegion.TryGetValue(region, out Uri? named) ? named
                : region == home && homeEndpoint is not null ? homeEndpoint
                : PublicEndpoint(region);
            list.Add(new BedrockRegion(region, endpoint));
        }
        return list;
    }

    private static List<string> ParseRegions(string text)
    {
        var regions = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            Add(regions, part, ProxySettings.Names.BedrockRegions);
        }
        return regions;
    }

    private static Dictionary<string, Uri> ParseEndpoints(string? text, out List<string> order)
    {
        order = [];
        var byRegion = new Dictionary<string, Uri>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return byRegion;
        }
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=');
            string url = equals < 0 ? "" : part[(equals + 1)..].Trim();
            if (equals < 0 || !Uri.TryCreate(url, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException(
                    $"{ProxySettings.Names.BedrockEndpoints} must be region=url pairs separated by commas, got '{part}'.");
            }
            string region = part[..equals].Trim();
            Add(order, region, ProxySettings.Names.BedrockEndpoints);
            byRegion[region] = endpoint;
        }
        return byRegion;
    }

    private static void Add(List<string> regions, string region, string setting)
    {
        if (!IsRegionName(region))
        {
            throw new InvalidOperationException($"{setting}: '{region}' is not an AWS region name (like us-east-1).");
        }
        if (regions.Contains(region))
        {
            throw new InvalidOperationException($"{setting} lists region '{region}' twice.");
        }
        regions.Add(region);
    }

    /// <summary>Lower-case letters, digits and hyphens, ending in a digit: us-east-1, eu-central-2, us-gov-west-1.</summary>
    internal static bool IsRegionName(string text)
    {
        if (text.Length is < 4 or > 32 || !char.IsAsciiDigit(text[^1]) || !char.IsAsciiLetterLower(text[0]) || !text.Contains('-'))
        {
            return false;
        }
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }
        return !text.Contains("--", StringComparison.Ordinal);
    }
}
