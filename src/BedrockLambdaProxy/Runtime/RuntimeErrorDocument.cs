using System.Text.Json;

namespace BedrockLambdaProxy.Runtime;

/// <summary>The error document the Runtime API expects: {errorMessage, errorType, stackTrace}.</summary>
internal static class RuntimeErrorDocument
{
    /// <summary>UTF-8 JSON <c>{"errorMessage":…,"errorType":…,"stackTrace":[]}</c>.</summary>
    /// <remarks>
    /// The stack trace stays empty on purpose: this document reaches the invoker (and, for a
    /// streamed response, travels base64-encoded in a trailer), so it must not carry internals.
    /// </remarks>
    public static byte[] ToJson(string errorType, string errorMessage)
    {
        using var buffer = new MemoryStream(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Makes <paramref name="errorType"/> safe to send as a header or trailer value: anything but
    /// visible ASCII becomes '_', so a handler-supplied type can never inject a header line.
    /// </summary>
    public static string ToHeaderValue(string errorType)
    {
        if (errorType.Length == 0)
        {
            return "Unhandled";
        }

        foreach (char c in errorType)
        {
            if (!IsVisibleAscii(c))
            {
                return string.Create(errorType.Length, errorType, static (span, source) =>
                {
                    for (int i = 0; i < source.Length; i++)
                    {
                        span[i] = IsVisibleAscii(source[i]) ? source[i] : '_';
                    }
                });
            }
        }

        return errorType;
    }

    private static bool IsVisibleAscii(char c) => c is >= '!' and <= '~';
}
