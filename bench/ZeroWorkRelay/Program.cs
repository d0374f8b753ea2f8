using System.Text;
using System.Text.Json;
using ZeroWorkRelay;

// One invocation at a time, as Lambda runs a worker: take the Function URL event, send its Converse
// request to the simulator as ConverseStream, and copy the answer to the Runtime API as it arrives.
// Everything the real worker does besides moving bytes is left out: no key, no limits, no usage
// record, no CRC check. Blocking sockets: each receive takes whatever has arrived (up to 64 KB) and
// it leaves as one chunk at once, so nothing waits while the simulator is silent.
var settings = RelaySettings.FromEnvironment();
using var runtimeApi = new BlockingHttpConnection(settings.RuntimeApi);
BlockingHttpConnection? bedrock = null;
byte[] payload = new byte[BlockingHttpConnection.ReceiveBufferLength];
while (true)
{
    runtimeApi.Send(Encoding.ASCII.GetBytes($"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {settings.RuntimeApiHost}\r\n\r\n"));
    (_, Dictionary<string, string> headers, byte[] invocation) = runtimeApi.ReadResponse();
    string requestId = headers["lambda-runtime-aws-request-id"];
    UpstreamCall call = UpstreamCall.FromFunctionUrlEvent(invocation);

    bedrock ??= new BlockingHttpConnection(settings.BedrockEndpoint);
    bedrock.Send(SigV4.SignedPost(settings, call.Path, call.Body, DateTime.UtcNow));
    (int status, _) = bedrock.ReadHead();
    if (status != 200)
    {
        throw new InvalidOperationException($"the simulator answered {status}");
    }

    runtimeApi.Send(Encoding.ASCII.GetBytes(
        $"POST /2018-06-01/runtime/invocation/{requestId}/response HTTP/1.1\r\nHost: {settings.RuntimeApiHost}\r\n"
        + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
        + "Content-Type: application/vnd.awslambda.http-integration-response\r\n\r\n"));
    string contentType = call.AsSse ? "text/event-stream" : "application/vnd.amazon.eventstream";
    string prelude = "{\"statusCode\":200,\"headers\":{\"content-type\":\"" + contentType + "\"}}";
    runtimeApi.SendChunk([.. Encoding.UTF8.GetBytes(prelude), .. new byte[8]]);
    var sse = call.AsSse ? new SseFromFrames() : null;
    bool ended = false;
    while (!ended)
    {
        int read = bedrock.ReadChunkedBody(payload, out ended);
        ReadOnlySpan<byte> arrived = payload.AsSpan(0, read);
        byte[] chunk = sse is null ? arrived.ToArray() : sse.Convert(arrived);
        if (chunk.Length > 0)
        {
            runtimeApi.SendChunk(chunk);
        }
    }
    if (sse is not null)
    {
        runtimeApi.SendChunk("data: [DONE]\n\n"u8.ToArray());
    }
    runtimeApi.Send("0\r\n\r\n"u8);
    runtimeApi.ReadResponse();
}

namespace ZeroWorkRelay
{
    /// <summary>What the simulator is asked: ConverseStream for the event's model, and whether the caller gets SSE.</summary>
    internal sealed record UpstreamCall(string Path, byte[] Body, bool AsSse)
    {
        public static UpstreamCall FromFunctionUrlEvent(byte[] invocation)
        {
            using JsonDocument document = JsonDocument.Parse(invocation);
            JsonElement root = document.RootElement;
            string path = root.GetProperty("rawPath").GetString()!;
            string body = root.GetProperty("body").GetString()!;
            if (root.TryGetProperty("isBase64Encoded", out JsonElement encoded) && encoded.GetBoolean())
            {
                body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
            }
            if (path.StartsWith("/model/", StringComparison.Ordinal))
            {
                return new UpstreamCall(path, Encoding.UTF8.GetBytes(body), AsSse: false);
            }
            // POST /converse {"modelId":…,"stream":true,"messages":…}
            using JsonDocument converse = JsonDocument.Parse(body);
            string model = converse.RootElement.GetProperty("modelId").GetString()!;
            string messages = converse.RootElement.GetProperty("messages").GetRawText();
            return new UpstreamCall($"/model/{Uri.EscapeDataString(model)}/converse-stream", Encoding.UTF8.GetBytes($$"""{"messages":{{messages}}}"""), AsSse: true);
        }
    }
}
