namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Counts estimated tokens over UTF-8 text that may arrive in pieces (stream deltas split words
/// anywhere): a run of letters and digits carries over from one piece to the next. The rule is
/// <see cref="TokenEstimate"/>'s.
/// </summary>
internal struct TextTokenCounter
{
    private const int CharsPerToken = 4;

    private long _tokens;
    private int _run;

    /// <summary>Tokens so far, the unfinished run included.</summary>
    public readonly long Tokens => _tokens + RunTokens(_run);

    public void Add(ReadOnlySpan<byte> utf8)
    {
        foreach (byte b in utf8)
        {
            if (b < 0x80)
            {
                if (IsLetterOrDigit(b))
                {
                    _run++;
                    continue;
                }
                EndRun();
                if (b > 0x20 && b < 0x7F)
                {
                    _tokens++; // punctuation
                }
            }
            else
            {
                EndRun();
                // A lead byte starts a non-ASCII character; continuation bytes (10xxxxxx) do not.
                if ((b & 0xC0) != 0x80)
                {
                    _tokens++;
                }
            }
        }
    }

    /// <summary>Closes the current run (a piece boundary that is known to split words, such as two JSON strings).</summary>
    public void EndRun()
    {
        _tokens += RunTokens(_run);
        _run = 0;
    }

    private static long RunTokens(int run) => (run + CharsPerToken - 1) / CharsPerToken;

    private static bool IsLetterOrDigit(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9;
}
