using System.Text.Encodings.Web;
using System.Text.Json;

namespace BedrockLambdaProxy.Logging;

/// <summary>
/// Writer options for JSON we produce for people and machines (logs, error bodies). The default
/// encoder escapes HTML-sensitive characters (' + &lt; &gt;) as \uXXXX, which is valid but makes
/// messages and timestamps hard to read; none of this output is ever embedded in HTML.
/// </summary>
internal static class JsonWriting
{
    public static JsonWriterOptions Readable { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
