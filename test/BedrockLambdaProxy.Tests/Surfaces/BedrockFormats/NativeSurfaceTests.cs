using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.BedrockFormats;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces.BedrockFormats;

public sealed class NativeSurfaceTests
{
    private static readonly BedrockClient Unused = ExchangeTestKit.Client(new ScriptedBedrockTransport());

    private static NativeSurface Surface(BedrockOperation operation) =>
        new(operation, new UnaryExchange(Unused), new EventStreamExchange(Unused, TimeProvider.System));

    private static RequestContext Context(string modelId, byte[] body, params (string Name, string Value)[] headers)
    {
        RequestContext context = ExchangeTestKit.Context(new RecordingResponder(), DeliveryMode.Streamed, body);
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in headers)
        {
            all[name] = value;
        }
        return new RequestContext
        {
            Request = new ProxyRequest
            {
                Method = "POST",
                Path = "/model/x/converse",
                Headers = all,
                Query = context.Request.Query,
                Body = body,
                StageVariables = context.Request.StageVariables,
                Origin = EventOrigin.FunctionUrl,
                Delivery = DeliveryMode.Streamed,
            },
            Response = context.Response,
            RequestId = "req-1",
            Deadline = context.Deadline,
            RouteValues = new Dictionary<string, string> { ["modelId"] = modelId },
            StartTimestamp = context.StartTimestamp,
            Cancellation = default,
        };
    }

    [Fact]
    public void TryPrepare_BedrockHeaders_AreCarriedToBedrock()
    {
        RequestContext context = Context("amazon.nova-lite-v1:0", """{"messages":[],"inferenceConfig":{"maxTokens":77}}"""u8.ToArray(),
            ("Content-Type", "application/json"),
            ("X-Amzn-Bedrock-Trace", "ENABLED"),
            ("X-Amzn-Bedrock-GuardrailIdentifier", "gr-123"),
            ("X-Amzn-Bedrock-GuardrailVersion", "2"),
            ("X-Amzn-Bedrock-PerformanceConfig-Latency", "optimized"),
            ("Authorization", "Bearer never-forwarded"));

        Assert.True(Surface(BedrockOperation.Converse).TryPrepare(context, out BedrockCall? call, out _));

        Assert.Equal(("ENABLED", "gr-123", "2", "optimized"), (call!.Headers.Trace, call.Headers.GuardrailIdentifier, call.Headers.GuardrailVersion, call.Headers.PerformanceConfigLatency));
        Assert.Equal(77, call.MaxOutputTokens);
        Assert.DoesNotContain(call.Headers.NonContentHeaders(), h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TryPrepare_InvokeWithBinaryBody_PassesBytesAndContentTypeThrough()
    {
        byte[] body = [0x00, 0xFF, 0x10, 0x80];
        RequestContext context = Context("amazon.titan-embed-image-v1", body,
            ("Content-Type", "application/octet-stream"), ("Accept", "application/json"), ("X-Amzn-Bedrock-Accept", "application/json"));

        Assert.True(Surface(BedrockOperation.InvokeModelWithResponseStream).TryPrepare(context, out BedrockCall? call, out _));

        Assert.Equal(body, call!.Body.ToArray());
        Assert.Equal("application/octet-stream", call.Headers.ContentType);
        Assert.Equal("application/json", call.Headers.BedrockAccept);
        Assert.True(call.Streams);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public void TryPrepare_InvokeJsonBodyLabelledOtherwise_MaxTokensStillRead(string contentType)
    {
        RequestContext context = Context("meta.llama3-8b-instruct-v1:0", """ {"prompt":"hi","max_gen_len":321}"""u8.ToArray(), ("Content-Type", contentType));

        Assert.True(Surface(BedrockOperation.InvokeModel).TryPrepare(context, out BedrockCall? call, out _));

        Assert.Equal(321, call!.MaxOutputTokens);
    }

    [Fact]
    public void TryPrepare_InvokeBrokenJsonLabelledOtherwise_PassesThroughWithNoCap()
    {
        byte[] body = """{"prompt": "unterminated"""u8.ToArray();
        RequestContext context = Context("meta.llama3-8b-instruct-v1:0", body, ("Content-Type", "text/plain"));

        Assert.True(Surface(BedrockOperation.InvokeModel).TryPrepare(context, out BedrockCall? call, out _));

        Assert.Equal(0, call!.MaxOutputTokens);
        Assert.Equal(body, call.Body.ToArray());
    }

    [Fact]
    public void TryPrepare_InvokeBrokenJsonLabelledJson_Is400()
    {
        RequestContext context = Context("meta.llama3-8b-instruct-v1:0", """{"prompt": """u8.ToArray(), ("Content-Type", "application/json"));

        Assert.False(Surface(BedrockOperation.InvokeModel).TryPrepare(context, out _, out ApiError? error));

        Assert.Equal(400, error!.StatusCode);
    }

    [Theory]
    [InlineData("../model", "{}")]
    [InlineData("a b", "{}")]
    [InlineData("amazon.nova-lite-v1:0", "not json")]
    public void TryPrepare_BadModelOrConverseBody_Is400(string modelId, string body)
    {
        RequestContext context = Context(modelId, System.Text.Encoding.UTF8.GetBytes(body), ("Content-Type", "application/json"));

        Assert.False(Surface(BedrockOperation.Converse).TryPrepare(context, out _, out ApiError? error));

        Assert.Equal(400, error!.StatusCode);
    }

    [Fact]
    public void Name_NamesTheOperationForUsageRecords()
    {
        Assert.Equal("native-converse-stream", Surface(BedrockOperation.ConverseStream).Name);
    }
}
