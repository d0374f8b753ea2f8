using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Counts estimated tokens over UTF-8 text that may arrive in pieces (stream deltas split words
/// anywhere): a run of letters and digits carries over from one piece to the next. The rule is
/// <see cref="TokenEstimate"/>'s.
/// </summary>
/// <remarks>
/// Every streamed delta passes through here (so that a cut stream can be billed an estimate), so the
/// count is vectorised: 64 bytes at a time become bit masks (letter or digit; punctuation or the lead
/// byte of a non-ASCII character), the second is a pop count, and a run of letters and digits costs
/// one token for each of its positions 0, 4, 8, … counted by shifting the run starts along the run,
/// four positions per step. The 64 bytes are two 32-byte vectors where the CPU has them (AVX2: the
/// x86-64 build targets x86-64-v3) and four 16-byte ones elsewhere (arm64's Neon). The result is
/// exactly the byte-at-a-time rule's (<see cref="AddScalar"/>, which tests compare both widths with).
/// </remarks>
internal struct TextTokenCounter
{
    private const int CharsPerToken = 4;
    private const int Block = 64;

    private long _tokens;
    private int _run;

    /// <summary>Tokens so far, the unfinished run included.</summary>
    public readonly long Tokens => _tokens + RunTokens(_run);

    public void Add(ReadOnlySpan<byte> utf8)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            Add(utf8, wide: Vector256.IsHardwareAccelerated);
        }
        else
        {
            AddScalar(utf8);
        }
    }

    /// <summary>The vectorised count, with 32-byte vectors (<paramref name="wide"/>) or 16-byte ones: tests run both.</summary>
    internal void Add(ReadOnlySpan<byte> utf8, bool wide)
    {
        ref byte start = ref MemoryMarshal.GetReference(utf8);
        int at = 0;
        for (; at <= utf8.Length - Block; at += Block)
        {
            AddBlock(ref Unsafe.Add(ref start, at), Block, wide);
        }
        int rest = utf8.Length - at;
        if (rest > 0)
        {
            // The tail goes through the same masks from a zero-padded copy; the padding's bits are cut off.
            Span<byte> padded = stackalloc byte[Block];
            padded.Clear();
            utf8[at..].CopyTo(padded);
            AddBlock(ref MemoryMarshal.GetReference(padded), rest, wide);
        }
    }

    /// <summary>The rule one byte at a time: the reference the vectorised <see cref="Add"/> must match.</summary>
    internal void AddScalar(ReadOnlySpan<byte> utf8)
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

    /// <summary>Counts the first <paramref name="length"/> (1 to 64) of the 64 bytes at <paramref name="source"/>.</summary>
    private void AddBlock(ref byte source, int length, bool wide)
    {
        var (alnum, single) = wide ? Classify64With256(ref source) : Classify64With128(ref source);
        if (length < Block)
        {
            ulong valid = (1UL << length) - 1;
            alnum &= valid;
            single &= valid;
        }
        _tokens += BitOperations.PopCount(single);
        AddRuns(alnum, length);
    }

    /// <summary>The 64 bytes' masks (bit i: byte i) from two 32-byte classifications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong LetterOrDigit, ulong OneToken) Classify64With256(ref byte source)
    {
        var (alnum0, single0) = Classify(Vector256.LoadUnsafe(ref source));
        var (alnum1, single1) = Classify(Vector256.LoadUnsafe(ref source, 32));
        return (alnum0.ExtractMostSignificantBits() | (ulong)alnum1.ExtractMostSignificantBits() << 32,
            single0.ExtractMostSignificantBits() | (ulong)single1.ExtractMostSignificantBits() << 32);
    }

    /// <summary>
    /// The 64 bytes' masks from four 16-byte classifications, written out rather than looped: constant
    /// shifts, and the four are independent, so they overlap instead of queueing on one accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong LetterOrDigit, ulong OneToken) Classify64With128(ref byte source)
    {
        var (alnum0, single0) = Classify(Vector128.LoadUnsafe(ref source));
        var (alnum1, single1) = Classify(Vector128.LoadUnsafe(ref source, 16));
        var (alnum2, single2) = Classify(Vector128.LoadUnsafe(ref source, 32));
        var (alnum3, single3) = Classify(Vector128.LoadUnsafe(ref source, 48));
        return (alnum0.ExtractMostSignificantBits() | (ulong)alnum1.ExtractMostSignificantBits() << 16
                | (ulong)alnum2.ExtractMostSignificantBits() << 32 | (ulong)alnum3.ExtractMostSignificantBits() << 48,
            single0.ExtractMostSignificantBits() | (ulong)single1.ExtractMostSignificantBits() << 16
                | (ulong)single2.ExtractMostSignificantBits() << 32 | (ulong)single3.ExtractMostSignificantBits() << 48);
    }

    /// <summary>Per byte: a letter or digit; punctuation (visible ASCII) or a non-ASCII lead byte, one token each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte> LetterOrDigit, Vector128<byte> OneToken) Classify(Vector128<byte> bytes)
    {
        Vector128<byte> letter = InRange(bytes | Vector128.Create((byte)0x20), (byte)'a', 26);
        Vector128<byte> digit = InRange(bytes, (byte)'0', 10);
        Vector128<byte> letterOrDigit = letter | digit;
        Vector128<byte> visible = InRange(bytes, 0x21, 0x7F - 0x21);
        Vector128<byte> lead = InRange(bytes, 0xC0, 0x100 - 0xC0);
        return (letterOrDigit, Vector128.AndNot(visible, letterOrDigit) | lead);
    }

    /// <summary>As the 16-byte <see cref="Classify(Vector128{byte})"/>, for 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> LetterOrDigit, Vector256<byte> OneToken) Classify(Vector256<byte> bytes)
    {
        Vector256<byte> letter = InRange(bytes | Vector256.Create((byte)0x20), (byte)'a', 26);
        Vector256<byte> digit = InRange(bytes, (byte)'0', 10);
        Vector256<byte> letterOrDigit = letter | digit;
        Vector256<byte> visible = InRange(bytes, 0x21, 0x7F - 0x21);
        Vector256<byte> lead = InRange(bytes, 0xC0, 0x100 - 0xC0);
        return (letterOrDigit, Vector256.AndNot(visible, letterOrDigit) | lead);
    }

    /// <summary>
    /// Per byte: <paramref name="first"/> ≤ b &lt; first + <paramref name="count"/> (count ≤ 128). Adding 0x80 − first
    /// moves the range to the bottom of the signed bytes, so one signed comparison decides it (SSE2 has
    /// no unsigned byte comparison, which the library's unsigned LessThan makes up with extra instructions).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InRange(Vector128<byte> bytes, byte first, int count) =>
        Vector128.LessThan(
            (bytes + Vector128.Create(unchecked((byte)(0x80 - first)))).AsSByte(),
            Vector128.Create((sbyte)(-128 + count))).AsByte();

    /// <summary>As the 16-byte <see cref="InRange(Vector128{byte}, byte, int)"/>, for 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> InRange(Vector256<byte> bytes, byte first, int count) =>
        Vector256.LessThan(
            (bytes + Vector256.Create(unchecked((byte)(0x80 - first)))).AsSByte(),
            Vector256.Create((sbyte)(-128 + count))).AsByte();

    /// <summary>Adds the runs of letters and digits in <paramref name="alnum"/> (bit i: byte i; bits from <paramref name="length"/> on clear).</summary>
    private void AddRuns(ulong alnum, int length)
    {
        if (_run > 0)
        {
            // The run carried in from before goes on through the block's leading letters and digits.
            int leading = BitOperations.TrailingZeroCount(~alnum);
            if (leading >= length)
            {
                _run += length;
                return;
            }
            _tokens += RunTokens(_run + leading);
            _run = 0;
            alnum &= ~((1UL << leading) - 1);
        }
        ulong last = 1UL << (length - 1);
        if ((alnum & last) != 0)
        {
            // A run reaching the block's end is carried on to the next block or piece.
            ulong gaps = ~alnum & (last | (last - 1));
            int runStart = gaps == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(gaps);
            _run = length - runStart;
            alnum &= (1UL << runStart) - 1;
        }
        // What is left are whole runs: one token at each run start, then at every fourth position
        // after it while the run goes on (positions p-3..p all letters or digits).
        ulong step = alnum & ~(alnum << 1);
        ulong fourInARow = alnum & (alnum << 1) & (alnum << 2) & (alnum << 3);
        while (step != 0)
        {
            _tokens += BitOperations.PopCount(step);
            step = (step << CharsPerToken) & fourInARow;
        }
    }

    private static long RunTokens(int run) => (run + CharsPerToken - 1) / CharsPerToken;

    private static bool IsLetterOrDigit(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9;
}
