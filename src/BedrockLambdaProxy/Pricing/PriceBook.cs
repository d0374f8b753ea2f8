using System.Globalization;

namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// Finds the price in force for a model id as the caller named it (foundation model, cross-region
/// profile, or an application inference profile ARN mapped to its model). Null means unpriced: the
/// record then carries no cost (never $0), and a dollar budget cannot be enforced for it.
/// </summary>
/// <remarks>
/// Placeholder seam: no shipped rows yet; the shipped table and operator overrides come with the
/// pricing work. Until then rows can be given in code or with PRICES_EXTRA (exact model id match).
/// </remarks>
internal sealed class PriceBook
{
    private readonly Dictionary<string, ModelPrice> _rows;

    public PriceBook(IEnumerable<ModelPrice> rows)
    {
        _rows = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (ModelPrice row in rows)
        {
            _rows[row.ModelId] = row;
        }
    }

    public static PriceBook Empty { get; } = new([]);

    public ModelPrice? Find(string modelId) => _rows.GetValueOrDefault(modelId);

    /// <summary>
    /// Rows from PRICES_EXTRA: <c>modelId=input,output,cacheRead,cacheWrite</c> in micro-dollars per
    /// million tokens, rows separated by <c>;</c> (e.g. <c>amazon.nova-lite-v1:0=60000,240000,15000,0</c>).
    /// </summary>
    public static PriceBook Parse(string? text)
    {
        var rows = new List<ModelPrice>();
        foreach (string row in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = row.LastIndexOf('=');
            string[] numbers = eq > 0 ? row[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries) : [];
            if (numbers.Length != 4 || !numbers.All(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new FormatException($"PRICES_EXTRA row '{row}' is not modelId=input,output,cacheRead,cacheWrite (micro-dollars per million tokens).");
            }
            long[] p = [.. numbers.Select(n => long.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture))];
            rows.Add(new ModelPrice(row[..eq], PriceTier.InRegion, p[0], p[1], p[2], p[3], "PRICES_EXTRA"));
        }
        return new PriceBook(rows);
    }
}
