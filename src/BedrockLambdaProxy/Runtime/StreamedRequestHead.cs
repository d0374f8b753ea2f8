using System.Buffers;
using System.Text;

namespace BedrockLambdaProxy.Runtime;

/// <summary>The hand-written bytes of a streamed response request: its head and its error trailers.</summary>
internal static class StreamedRequestHead
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";
    public const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";

    /// <summary>
    /// The request line, headers and first chunk (the JSON prelude and its 8 NUL separator).
    /// The Trailer header announces the error trailers up front, as HTTP/1.1 asks of a sender.
    /// </summary>
    public static byte[] Build(RuntimeApiEndpoint endpoint, string requestId, HttpResponsePrelude prelude)
    {
        var preludeBytes = new ArrayBufferWriter<byte>(512);
        StreamingPrelude.Write(prelude, preludeBytes);

        string head =
            "POST " + endpoint.InvocationPath(requestId, "response") + " HTTP/1.1\r\n" +
            "Host: " + endpoint.HostHeader + "\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Content-Type: " + ContentType + "\r\n" +
            "Trailer: " + RuntimeApiClient.ErrorTypeHeader + ", " + ErrorBodyTrailer + "\r\n" +
            "\r\n" +
            preludeBytes.WrittenCount.ToString("x", provider: null) + "\r\n";

        // The head is ASCII: the path is escaped and the host comes from a parsed URI.
        byte[] bytes = new byte[head.Length + preludeBytes.WrittenCount + 2];
        int written = Encoding.ASCII.GetBytes(head, bytes);
        preludeBytes.WrittenSpan.CopyTo(bytes.AsSpan(written));
        written += preludeBytes.WrittenCount;
        bytes[written] = (byte)'\r';
        bytes[written + 1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// The last chunk followed by the two error trailers. The body trailer carries the error
    /// document base64-encoded, because a trailer value cannot hold arbitrary JSON text.
    /// </summary>
    public static byte[] ErrorTrailers(string errorType, string errorMessage)
    {
        string trailers =
            "0\r\n" +
            RuntimeApiClient.ErrorTypeHeader + ": " + RuntimeErrorDocument.ToHeaderValue(errorType) + "\r\n" +
            ErrorBodyTrailer + ": " + Convert.ToBase64String(RuntimeErrorDocument.ToJson(errorType, errorMessage)) + "\r\n" +
            "\r\n";
        return Encoding.ASCII.GetBytes(trailers);
    }
}
