using System.Globalization;

namespace BedrockLambdaProxy.Limits;

/// <summary>Micro-dollars as operators and clients read them: US dollars with up to six decimals, invariant culture.</summary>
internal static class Usd
{
    /// <summary>E.g. 12_500_000 → "12.50", 1_234 → "0.001234": at least cents, never rounded.</summary>
    public static string Format(long microUsd) =>
        (microUsd / 1_000_000m).ToString("0.00####", CultureInfo.InvariantCulture);
}
