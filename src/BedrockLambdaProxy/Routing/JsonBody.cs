using System.Buffers;
using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// Checks that a request body is one JSON object the proxy can read without surprises, and says
/// where it is not: valid UTF-8 (RFC 8259 §8.1), at most <see cref="MaxDepth"/> levels deep, and no
/// property named twice in one object — a duplicate would let the proxy read one value (say a small
/// max_tokens for the reservation) while Bedrock acts on the other.
/// </summary>
internal static class JsonBody
{
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parses the body; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParseObject(ReadOnlyMemory<byte> body, out JsonDocument? document, out ApiError? error)
    {
        document = null;
        error = null;
        if (body.IsEmpty)
        {
            error = ApiError.BadRequest("The request body is empty; expected a JSON object.");
            return false;
        }
        // System.Text.Json checks UTF-8 only when a string is decoded, which would surface later as an
        // exception (a 500) instead of here as the caller's mistake.
        if (InvalidUtf8At(body.Span) is int offset)
        {
            error = ApiError.BadRequest($"The request body is not valid UTF-8 (byte {offset + 1}); JSON must be UTF-8 encoded.");
            return false;
        }
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            // The duplicate check runs after the reader, so its exception carries no position.
            error = ApiError.BadRequest(ex.Message.Contains("uplicate", StringComparison.Ordinal)
                ? "The request body is not valid JSON: an object names the same property twice; send each property once."
                : $"The request body is not valid JSON (line {line}, byte {column}): {Explain(ex.Message)}");
            return false;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.BadRequest($"The request body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            document.Dispose();
            document = null;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Reads an optional string property. Escapes that decode to no valid text (a lone UTF-16
    /// surrogate such as <c>"\ud800"</c>) make <see cref="JsonElement.GetString"/> throw, so they are
    /// caught here and answered as the caller's error naming <paramref name="name"/>.
    /// </summary>
    public static bool TryGetString(JsonElement parent, string name, out string? value, out ApiError? error)
    {
        value = null;
        error = null;
        if (!parent.TryGetProperty(name, out JsonElement element))
        {
            return true;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            error = ApiError.BadRequest($"\"{name}\" must be a string, not {Describe(element)}.");
            return false;
        }
        try
        {
            value = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            error = ApiError.BadRequest($"\"{name}\" contains an escape sequence that is not valid Unicode text.");
            return false;
        }
    }

    /// <summary>A short description of a value for an error message: its JSON type and, when small, the value itself.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => element.GetRawText() is { Length: <= 24 } raw ? raw : "a number out of range",
    };

    /// <summary>The offset of the first byte that is not part of a well-formed UTF-8 sequence, or null.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return null;
    }

    /// <summary>
    /// The reader's reason in words. The trimmed build drops System.Text.Json's message texts (only resource
    /// keys such as "ArrayDepthTooLarge, 64" remain), so the depth limit is worded here; the rest keep the
    /// reader's text without the "Path: $ | LineNumber: …" tail that the line and byte already say.
    /// </summary>
    private static string Explain(string message)
    {
        if (message.Contains("DepthTooLarge", StringComparison.Ordinal) || message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"it nests objects or arrays deeper than {MaxDepth} levels.";
        }
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        return cut > 0 ? message[..cut] : message;
    }
}
