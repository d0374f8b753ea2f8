using System.Globalization;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>Culture-free number formatting for the reports.</summary>
internal static class Invariant
{
    public static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);
}
