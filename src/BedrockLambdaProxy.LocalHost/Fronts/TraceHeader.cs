using System.Globalization;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>An X-Ray style trace id (Root=1-{epoch hex}-{24 hex}) derived from a request id.</summary>
internal static class TraceHeader
{
    public static string For(string requestId, DateTimeOffset now)
    {
        var hex = requestId.Replace("-", string.Empty, StringComparison.Ordinal);
        hex = hex.Length >= 24 ? hex[..24] : hex.PadRight(24, '0');
        return $"Root=1-{now.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture)}-{hex}";
    }
}
