using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Signing;
using BedrockSimulator;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Test helpers: requests signed by AWSSDK.Core's SigV4SigningHandler, frames decoded by AWSSDK.Core.</summary>
internal static class SimulatorHttp
{
    public static readonly string AccessKeyId = new SimulatorOptions().AccessKeyId;
    public static readonly string SecretAccessKey = new SimulatorOptions().SecretAccessKey;

    public static HttpClient SignedClient(string? secret = null) => new(new SigV4SigningHandler(
        new BasicAWSCredentials(AccessKeyId, secret ?? SecretAccessKey), RegionEndpoint.USEast1, "bedrock",
        new SocketsHttpHandler { AllowAutoRedirect = false }));

    public static Uri Url(SimulatorServer server, string modelId, string operation) =>
        new(server.BaseAddress, $"model/{Uri.EscapeDataString(modelId)}/{operation}");

    public static string Converse(string text) =>
        JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = new[] { new { text } } } } });

    public static HttpRequestMessage Post(SimulatorServer server, string modelId, string operation, string body,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(server, modelId, operation))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    public static List<EventStreamMessage> DecodeMessages(byte[] bytes)
    {
        var messages = new List<EventStreamMessage>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            // Each frame in its own buffer: with a non-zero offset FromBuffer reported CRC failures on frames
            // that decode fine at offset 0 (and in the JS SDK), so offsets are avoided.
            messages.Add(EventStreamMessage.FromBuffer(bytes[at..(at + length)], 0, length));
            at += length;
        }

        return messages;
    }

    public static List<(string Type, JsonDocument Payload)> DecodeEvents(byte[] bytes) =>
        [.. DecodeMessages(bytes).Select(m => (m.Headers[":event-type"].AsString(), JsonDocument.Parse(m.Payload)))];

    /// <summary>The native JSON documents inside InvokeModelWithResponseStream chunk events.</summary>
    public static List<JsonElement> DecodeChunks(byte[] bytes) =>
        [.. DecodeEvents(bytes).Select(e => JsonDocument.Parse(e.Payload.RootElement.GetProperty("bytes").GetBytesFromBase64()).RootElement)];
}
