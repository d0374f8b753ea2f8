using System.Text.Json;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>
/// The log lines in a file given to <c>usage replay</c>, whichever way it was exported from
/// CloudWatch Logs: plain lines (a download, <c>aws logs tail</c>, lines with a timestamp or request-id
/// prefix), or the JSON that <c>aws logs filter-log-events</c> / <c>get-log-events</c> print
/// (<c>{"events":[{"message":"…"},…]}</c>, or the bare array with <c>--query events</c>), whose
/// events' <c>message</c> fields are the lines.
/// </summary>
internal static class ReplayInput
{
    /// <summary>The file's log lines, in order.</summary>
    public static IEnumerable<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EventMessages(text) ?? SplitLines(text);
    }

    /// <summary>The events' messages when the whole text is one AWS CLI document; otherwise null.</summary>
    private static List<string>? EventMessages(string text)
    {
        string trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            // Several JSON log lines, one per line: not a single document.
            return null;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            JsonElement events = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out JsonElement list)
                ? list
                : root;
            if (events.ValueKind != JsonValueKind.Array)
            {
                // One JSON object without events: a file holding a single log line.
                return null;
            }
            var messages = new List<string>();
            foreach (JsonElement logEvent in events.EnumerateArray())
            {
                if (logEvent.ValueKind == JsonValueKind.Object
                    && logEvent.TryGetProperty("message", out JsonElement message)
                    && message.ValueKind == JsonValueKind.String)
                {
                    // A message may hold several lines (and ends with the newline the function wrote).
                    messages.AddRange(SplitLines(message.GetString()!));
                }
            }
            return messages;
        }
    }

    private static IEnumerable<string> SplitLines(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0);
}
