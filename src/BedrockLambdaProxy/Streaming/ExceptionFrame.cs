using System.Buffers;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace BedrockLambdaProxy.Streaming;

/// <summary>
/// An <c>application/vnd.amazon.eventstream</c> exception frame, as Bedrock sends one when a stream
/// fails: AWS SDKs turn it into their typed exception (ModelStreamErrorException, …). The proxy
/// writes one when the failure is its own view of the upstream (a truncated or corrupt stream).
/// </summary>
internal static class ExceptionFrame
{
    /// <summary>Encodes the frame; <paramref name="exceptionType"/> is the stream union's member name, e.g. <c>modelStreamErrorException</c>.</summary>
    public static byte[] Encode(string exceptionType, string message)
    {
        var payload = new ArrayBufferWriter<byte>(64 + message.Length);
        using (var json = new Utf8JsonWriter(payload, BedrockLambdaProxy.Logging.JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        var headers = new List<IEventStreamHeader>
        {
            Header(":message-type", "exception"),
            Header(":exception-type", exceptionType),
            Header(":content-type", "application/json"),
        };
        return new EventStreamMessage(headers, payload.WrittenSpan.ToArray()).ToByteArray();
    }

    private static EventStreamHeader Header(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }
}
