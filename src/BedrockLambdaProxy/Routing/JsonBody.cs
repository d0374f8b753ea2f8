using System.Buffers;
using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// Checks that a request body is one JSON object the proxy can read without surprises, and says
/// where it is not: valid UTF-8 (RFC 8259 §8.1), at most <see cref="MaxDepth"/> levels deep, and no
/// property named twice in the object or in the objects directly under it, where every field the
/// proxy reads lives — a duplicate would let the proxy read one value (say a small max_tokens for
/// the reservation) while Bedrock acts on the other.
/// </summary>
internal static class JsonBody
{
    public const int MaxDepth = 64;

    // Not AllowDuplicateProperties = false: measured on .NET 10, its check grows faster than linearly with an
    // object's size (a 3.5 MB object with 300,000 properties took seconds), so a caller could buy CPU with it.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

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
            error = ApiError.BadRequest($"The request body is not valid JSON (line {line}, byte {column}): {Explain(ex.Message)}");
            return false;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.BadRequest($"The request body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        }
        else if (Duplicate(document.RootElement) is string path)
        {
            // The name is the caller's: echo a bounded piece of it.
            string shown = path.Length <= 100 ? path : path[..100] + "…";
            error = ApiError.BadRequest($"The request body names \"{shown}\" twice; send each property once.");
        }
        if (error is not null)
        {
            document.Dispose();
            document = null;
            return false;
        }
        return true;
    }

    /// <summary>The first property named twice in <paramref name="root"/> or an object directly under it (linear time), or null.</summary>
    private static string? Duplicate(JsonElement root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var inner = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = NameOf(property);
            if (!names.Add(name))
            {
                return name;
            }
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            inner.Clear();
            foreach (JsonProperty child in property.Value.EnumerateObject())
            {
                string childName = NameOf(child);
                if (!inner.Add(childName))
                {
                    return name + "." + childName;
                }
            }
        }
        return null;
    }

    // A name with a lone surrogate escape cannot be decoded; it still counts once, by its raw text.
    private static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "raw:" + property.ToString();
        }
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
