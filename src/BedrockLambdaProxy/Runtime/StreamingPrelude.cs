using System.Buffers;
using System.Text.Json;

namespace BedrockLambdaProxy.Runtime;

/// <summary>
/// Encodes the head of an application/vnd.awslambda.http-integration-response body: the JSON
/// prelude followed by the 8 NUL bytes that separate it from the HTTP body.
/// </summary>
internal static class StreamingPrelude
{
    /// <summary>Lambda's delimiter between the prelude and the body.</summary>
    public const int SeparatorLength = 8;

    private const string SetCookie = "Set-Cookie";

    /// <summary>
    /// Writes <c>{"statusCode":…,"headers":{…},"cookies":[…]}</c> and the separator into
    /// <paramref name="destination"/>. Repeated header names are joined with ", " because the
    /// prelude's headers are a JSON object; Set-Cookie values cannot be joined that way (a cookie
    /// may itself contain ", "), so they go to "cookies", where Function URLs expect them.
    /// </summary>
    public static void Write(HttpResponsePrelude prelude, IBufferWriter<byte> destination)
    {
        using (var writer = new Utf8JsonWriter(destination))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", prelude.StatusCode);
            writer.WriteStartObject("headers");
            WriteHeaders(prelude.Headers, writer);
            writer.WriteEndObject();
            writer.WriteStartArray("cookies");
            foreach (string cookie in prelude.Cookies)
            {
                writer.WriteStringValue(cookie);
            }

            foreach (KeyValuePair<string, string> header in prelude.Headers)
            {
                if (IsSetCookie(header.Key))
                {
                    writer.WriteStringValue(header.Value);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        Span<byte> separator = destination.GetSpan(SeparatorLength)[..SeparatorLength];
        separator.Clear();
        destination.Advance(SeparatorLength);
    }

    private static void WriteHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, Utf8JsonWriter writer)
    {
        // Headers are few (a dozen at most), so a quadratic scan beats building a dictionary and
        // keeps the first spelling and the order the handler chose.
        for (int i = 0; i < headers.Count; i++)
        {
            string name = headers[i].Key;
            if (IsSetCookie(name) || SeenBefore(headers, i))
            {
                continue;
            }

            string value = headers[i].Value;
            for (int j = i + 1; j < headers.Count; j++)
            {
                if (string.Equals(headers[j].Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = string.Concat(value, ", ", headers[j].Value);
                }
            }

            writer.WriteString(name, value);
        }
    }

    private static bool SeenBefore(IReadOnlyList<KeyValuePair<string, string>> headers, int index)
    {
        for (int k = 0; k < index; k++)
        {
            if (string.Equals(headers[k].Key, headers[index].Key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSetCookie(string name) => string.Equals(name, SetCookie, StringComparison.OrdinalIgnoreCase);
}
