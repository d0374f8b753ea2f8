using System.Numerics;

namespace BedrockLambdaProxy.Auth;

/// <summary>Fixed-width base62 (0-9, A-Z, a-z): URL-, header- and double-click-safe, like GitHub tokens.</summary>
internal static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Encodes an unsigned big-endian number as exactly <paramref name="width"/> digits.</summary>
    public static string Encode(ReadOnlySpan<byte> bigEndian, int width)
    {
        return Encode(new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true), width);
    }

    public static string Encode(BigInteger value, int width)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Base62 encodes non-negative numbers only.");
        }
        Span<char> digits = width <= 128 ? stackalloc char[width] : new char[width];
        for (int i = width - 1; i >= 0; i--)
        {
            value = BigInteger.DivRem(value, 62, out BigInteger remainder);
            digits[i] = Alphabet[(int)remainder];
        }
        if (!value.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "The number does not fit in the given width.");
        }
        return new string(digits);
    }

    public static bool IsDigit(char c)
    {
        return c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');
    }

    public static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!IsDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
