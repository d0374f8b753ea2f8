using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BedrockLambdaProxy.Events;

/// <summary>
/// Writes the JSON a buffered Lambda HTTP integration expects back:
/// <c>{"statusCode", "headers", "body", "isBase64Encoded"}</c> (the same shape for API Gateway
/// payload 1.0 and Function URL payload 2.0).
/// </summary>
internal static class BufferedEnvelope
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Escapes only what JSON requires (quotes, backslashes, control characters), not HTML-sensitive
    /// or non-ASCII characters: the default encoder writes a CJK character as 6 bytes (\uXXXX) for 3
    /// and a quote as 6 for 2, which nearly doubles a chunk array against Lambda's 6 MB limit. The
    /// envelope is read by Lambda and API Gateway as JSON, never embedded in HTML, and this is what
    /// Node.js functions return (JSON.stringify).
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(ProxyResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + response.Body.Length * 4 / 3);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", response.StatusCode);
            json.WriteStartObject("headers");
            foreach ((string name, string value) in response.Headers)
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();

            string? contentType = Find(response.Headers, "content-type");
            if (IsText(contentType) && TryDecodeUtf8(response.Body.Span, out string? text))
            {
                json.WriteString("body", text);
                json.WriteBoolean("isBase64Encoded", false);
            }
            else
            {
                // Binary bodies (an event stream collected for an SDK) travel as base64; API Gateway
                // turns them back into bytes for media types listed in the API's BinaryMediaTypes.
                json.WriteBase64String("body", response.Body.Span);
                json.WriteBoolean("isBase64Encoded", true);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach ((string key, string value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    private static bool IsText(string? contentType) =>
        contentType is null
        || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string? text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }
}
