using System.Buffers;
using System.Text;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockUsageReaderTests
{
    [Fact]
    public void FromConverseResponse_UsageAndMetrics_ExactCounts()
    {
        byte[] body = """
            {"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":1234,"outputTokens":56,"totalTokens":1290,"cacheReadInputTokens":1000,"cacheWriteInputTokens":7},
             "metrics":{"latencyMs":789}}
            """u8.ToArray();

        BedrockReportedUsage? usage = BedrockUsageReader.FromConverseResponse(body);

        Assert.Equal(new BedrockReportedUsage(new TokenUsage(1234, 56, 1000, 7), 789), usage);
    }

    [Fact]
    public void FromConverseStreamMetadata_MetadataEvent_ExactCounts()
    {
        byte[] payload = """{"metrics":{"latencyMs":412},"usage":{"inputTokens":25,"outputTokens":3,"totalTokens":28},"p":"abcdefgh"}"""u8.ToArray();

        BedrockReportedUsage? usage = BedrockUsageReader.FromConverseStreamMetadata(payload);

        Assert.Equal(new BedrockReportedUsage(new TokenUsage(25, 3), 412), usage);
    }

    [Theory]
    [InlineData("""{"output":{}}""")]
    [InlineData("""{"usage":"lots"}""")]
    [InlineData("not json")]
    [InlineData("")]
    public void FromConverseResponse_NoUsage_ReturnsNull(string body)
    {
        Assert.Null(BedrockUsageReader.FromConverseResponse(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void FromInvokeModelHeaders_TokenHeaders_ExactCounts()
    {
        var headers = new BedrockResponseHeaders(
        [
            new("Content-Type", "application/json"),
            new("X-Amzn-Bedrock-Input-Token-Count", "321"),
            new("x-amzn-bedrock-output-token-count", "45"),
            new("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", "300"),
            new("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", "11"),
            new("X-Amzn-Bedrock-Invocation-Latency", "987"),
        ]);

        BedrockReportedUsage? usage = BedrockUsageReader.FromInvokeModelHeaders(headers);

        Assert.Equal(new BedrockReportedUsage(new TokenUsage(321, 45, 300, 11), 987), usage);
    }

    [Fact]
    public void FromInvokeModelHeaders_NoCountHeaders_ReturnsNull()
    {
        Assert.Null(BedrockUsageReader.FromInvokeModelHeaders(new BedrockResponseHeaders([new("Content-Type", "application/json")])));
    }

    [Fact]
    public void FromInvokeStreamChunk_FinalAnthropicChunk_ExactCounts()
    {
        string model = """
            {"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":19,"outputTokenCount":242,
             "invocationLatency":3125,"firstByteLatency":312,"cacheReadInputTokenCount":8,"cacheWriteInputTokenCount":2}}
            """;
        byte[] payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(model))}}","p":"abc"}""");

        BedrockReportedUsage? usage = BedrockUsageReader.FromInvokeStreamChunk(payload);

        Assert.Equal(new BedrockReportedUsage(new TokenUsage(19, 242, 8, 2), 3125, 312), usage);
    }

    [Fact]
    public void FromInvokeStreamChunk_MiddleChunk_ReturnsNull()
    {
        string model = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"inputTokenCount"}}""";
        byte[] payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(model))}}"}""");

        Assert.Null(BedrockUsageReader.FromInvokeStreamChunk(payload));
    }

    [Fact]
    public void DecodeChunk_Base64Bytes_ReturnsModelJson()
    {
        string model = """{"type":"content_block_delta","delta":{"text":"Hello, wörld"}}""";
        byte[] payload = Encoding.UTF8.GetBytes($$"""{"p":"xyz","bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(model))}}"}""");

        byte[]? decoded = BedrockUsageReader.DecodeChunk(payload);

        Assert.NotNull(decoded);
        Assert.Equal(model, Encoding.UTF8.GetString(decoded));
    }

    [Theory]
    [InlineData("""{"bytes":"not base64!"}""")]
    [InlineData("""{"bytes":42}""")]
    [InlineData("""{"other":"e30="}""")]
    [InlineData("[]")]
    [InlineData("{")]
    public void DecodeChunk_NoUsableBytes_ReturnsNull(string payload)
    {
        Assert.Null(BedrockUsageReader.DecodeChunk(Encoding.UTF8.GetBytes(payload)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DecodeChunk_IntoBufferWriter_WritesModelJson(bool escapedJson)
    {
        string model = """{"type":"content_block_delta","delta":{"text":"??>>~~ wörld"}}""";
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(model));
        Assert.Contains('/', base64);
        string value = escapedJson ? base64.Replace("/", "\\/", StringComparison.Ordinal) : base64;
        byte[] payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{value}}","p":"q"}""");
        var destination = new ArrayBufferWriter<byte>();
        destination.Write("data: "u8);

        int written = BedrockUsageReader.DecodeChunk(payload, destination);

        Assert.Equal(Encoding.UTF8.GetByteCount(model), written);
        Assert.Equal("data: " + model, Encoding.UTF8.GetString(destination.WrittenSpan));
    }

    [Fact]
    public void DecodeChunk_IntoBufferWriterBadBase64_ReturnsMinusOneAndWritesNothing()
    {
        var destination = new ArrayBufferWriter<byte>();

        Assert.Equal(-1, BedrockUsageReader.DecodeChunk("""{"bytes":"%%%%"}"""u8, destination));
        Assert.Equal(0, destination.WrittenCount);
    }
}
