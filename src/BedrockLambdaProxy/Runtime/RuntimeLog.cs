using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Runtime;

/// <summary>Structured JSON log lines for failures of the runtime loop itself; never payloads.</summary>
internal static class RuntimeLog
{
    private static readonly Lock Gate = new();

    /// <summary>Writes one error line to stdout, where Lambda collects it into CloudWatch Logs.</summary>
    public static void Error(string message, string? requestId, Exception? exception)
    {
        string line = Format("error", message, requestId, exception);
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>
    /// One line per invocation when <see cref="LambdaBootstrap.ResourceLogVariable"/> is on:
    /// <c>{"level":"debug","message":"invocation resources","requestId":…,"allocatedBytes":…,"cpuMs":…}</c>.
    /// </summary>
    public static void Resources(string requestId, long allocatedBytes, double cpuMs)
    {
        using var buffer = new MemoryStream(192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("level", "debug");
            writer.WriteString("message", "invocation resources");
            writer.WriteString("requestId", requestId);
            writer.WriteNumber("allocatedBytes", allocatedBytes);
            writer.WriteNumber("cpuMs", Math.Round(cpuMs, 1));
            writer.WriteEndObject();
        }

        string line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>One JSON object: level, message, requestId (when known), errorType and error.</summary>
    public static string Format(string level, string message, string? requestId, Exception? exception)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("level", level);
            writer.WriteString("message", message);
            if (requestId is not null)
            {
                writer.WriteString("requestId", requestId);
            }

            if (exception is not null)
            {
                writer.WriteString("errorType", exception.GetType().FullName);
                // ToString carries the message, inner exceptions and stack: what an operator needs
                // to find a loop failure. Payloads are never put into exceptions by this loop.
                writer.WriteString("error", exception.ToString());
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
