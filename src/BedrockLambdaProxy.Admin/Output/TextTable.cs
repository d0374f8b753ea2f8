namespace BedrockLambdaProxy.Admin.Output;

/// <summary>Left-aligned columns separated by two spaces, like kubectl and the AWS CLI's text tables.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (IReadOnlyList<string> row in rows)
        {
            for (int i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        WriteRow(output, headers, widths);
        foreach (IReadOnlyList<string> row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new System.Text.StringBuilder();
        for (int i = 0; i < widths.Length; i++)
        {
            line.Append(i == widths.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }
        // Empty trailing cells would leave trailing spaces that diff tools and tests trip over.
        output.WriteLine(line.ToString().TrimEnd());
    }
}
