using System.Text.Json;

namespace BedrockLambdaProxy.Routing;

/// <summary>Checks that a request body is one JSON object, and says where it is not.</summary>
internal static class JsonBody
{
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
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            error = ApiError.BadRequest($"The request body is not valid JSON (line {line}, byte {column}): {FirstSentence(ex.Message)}");
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

    // System.Text.Json appends "Path: $ | LineNumber: …" which we already report more plainly.
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
