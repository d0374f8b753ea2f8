namespace BedrockSimulator.Scripts;

/// <summary>
/// The simulator's deterministic token counts, so tests can assert exact usage:
/// input = words of all input text + 3; output = words of all output text (thinking included) + 10 per tool call
/// + 10 per redacted thinking block.
/// A word is a maximal run of non-whitespace characters.
/// </summary>
internal static class TokenRules
{
    public const int InputOverhead = 3;
    public const int ToolCallTokens = 10;

    public static int Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                count++;
            }

            inWord = !space;
        }

        return count;
    }

    public static int InputTokens(IEnumerable<string> inputTexts) => inputTexts.Sum(Words) + InputOverhead;

    public static int OutputTokens(IEnumerable<ReplyBlock> blocks) =>
        blocks.Sum(b => b.Tool is not null || b.RedactedData is not null ? ToolCallTokens : Words(b.Text) + Words(b.ThinkingText));
}
