using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// The proxy's one token estimator, used only where Bedrock's own counts cannot be had: the input
/// part of an admission's reservation, and the bill of a stream that ended before Bedrock's usage
/// event. Estimates are marked as such wherever they are stored; Bedrock's counts always win.
/// </summary>
/// <remarks>
/// Rule (a stand-in for a BPE tokenizer, which the proxy does not ship): every run of ASCII letters
/// and digits costs one token per 4 characters, rounded up; every other visible ASCII character
/// (punctuation) one token; every non-ASCII character one token (a CJK character is about one token
/// in Claude's and Nova's tokenizers, an accented Latin letter less); whitespace nothing. English
/// prose comes out near 1.3 tokens per word, which is what real tokenizers give. A request body adds
/// <see cref="RequestOverhead"/> for the prompt template Bedrock wraps around it, and each base64
/// media value (an image or document's <c>bytes</c> / <c>data</c>) counts
/// <see cref="MediaTokens"/> instead of its characters. docs/BILLING.md measures the error.
/// </remarks>
internal static class TokenEstimate
{
    /// <summary>Tokens added to every request for the model's own prompt framing.</summary>
    public const long RequestOverhead = 3;

    /// <summary>
    /// One image or document sent as base64: Claude's documented ceiling for an image of about 1.15
    /// megapixels (width × height / 750 ≈ 1,600 tokens), used for every media value whatever its size.
    /// </summary>
    public const long MediaTokens = 1600;

    /// <summary>Estimated input tokens of a request body: JSON string values (keys and structure excluded), or the raw text when the body is not JSON.</summary>
    public static long FromRequestBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return RequestOverhead;
        }
        try
        {
            return RequestOverhead + FromJsonStrings(body);
        }
        catch (JsonException)
        {
            // Not JSON (a model's own text format, or garbage Bedrock will refuse): count it as text.
            var text = new TextTokenCounter();
            text.Add(body);
            return RequestOverhead + text.Tokens;
        }
    }

    /// <summary>Estimated tokens of one piece of UTF-8 text.</summary>
    public static long FromUtf8(ReadOnlySpan<byte> utf8)
    {
        var counter = new TextTokenCounter();
        counter.Add(utf8);
        return counter.Tokens;
    }

    /// <summary>Estimated tokens of one piece of text.</summary>
    public static long FromText(string text) => FromUtf8(Encoding.UTF8.GetBytes(text));

    private static long FromJsonStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var text = new TextTokenCounter();
        long media = 0;
        bool mediaValue = false;
        byte[]? scratch = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    mediaValue = reader.ValueTextEquals("bytes"u8) || reader.ValueTextEquals("data"u8);
                    break;
                case JsonTokenType.String:
                    if (mediaValue && reader.ValueSpan.Length > 256)
                    {
                        media += MediaTokens;
                    }
                    else if (!reader.ValueIsEscaped)
                    {
                        text.Add(reader.ValueSpan);
                    }
                    else
                    {
                        int length = reader.ValueSpan.Length;
                        if (scratch is null || scratch.Length < length)
                        {
                            scratch = new byte[Math.Max(length, 256)];
                        }
                        int written = reader.CopyString(scratch);
                        text.Add(scratch.AsSpan(0, written));
                    }
                    // Words of separate strings never join.
                    text.EndRun();
                    mediaValue = false;
                    break;
                default:
                    mediaValue = false;
                    break;
            }
        }
        return text.Tokens + media;
    }
}
