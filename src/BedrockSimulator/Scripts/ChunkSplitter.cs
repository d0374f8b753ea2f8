namespace BedrockSimulator.Scripts;

/// <summary>Splits a text into N nearly equal, non-empty pieces by characters (never inside a surrogate pair).</summary>
internal static class ChunkSplitter
{
    public static IReadOnlyList<string> Split(string text, int pieces)
    {
        if (text.Length == 0)
        {
            return [string.Empty];
        }

        var n = Math.Clamp(pieces, 1, text.Length);
        var result = new List<string>(n);
        var start = 0;
        for (var i = 0; i < n; i++)
        {
            var end = i == n - 1 ? text.Length : (int)((long)text.Length * (i + 1) / n);
            if (end < text.Length && end > 0 && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            if (end > start)
            {
                result.Add(text[start..end]);
                start = end;
            }
        }

        return result;
    }
}
