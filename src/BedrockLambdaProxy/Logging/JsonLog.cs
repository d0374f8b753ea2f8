using System.Buffers;
using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Logging;

/// <summary>
/// One JSON object per line on stdout, which Lambda ships to CloudWatch Logs where metric filters
/// and Logs Insights read the fields. Callers pass only values safe to log: never keys, digests,
/// Authorization headers or AWS credentials.
/// </summary>
internal sealed class JsonLog(TextWriter output, TimeProvider time)
{
    public static JsonLog Console { get; } = new(System.Console.Out, TimeProvider.System);

    /// <summary>Writes one line; <paramref name="fields"/> adds the event's own fields.</summary>
    public void Write(string level, string message, Action<Utf8JsonWriter>? fields = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("message", message);
            fields?.Invoke(json);
            json.WriteEndObject();
        }
        string line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public void Error(string message, Exception? exception = null, Action<Utf8JsonWriter>? fields = null) =>
        Write("error", message, json =>
        {
            if (exception is not null)
            {
                // Type and message only: stack traces are noise in billing logs and can carry request data.
                json.WriteString("error_type", exception.GetType().Name);
                json.WriteString("error_message", exception.Message);
            }
            fields?.Invoke(json);
        });
}
