using System.Text.Json;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Tests.Fakes;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Tests.Metrics;

public sealed class MetricsLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Write_AnsweredRequest_ValidEmfWithEveryMetricAndFourDimensionSets()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-1",
            CustomerId = "acme",
            ModelId = "amazon.nova-lite-v1:0",
            ModelServed = true,
            BedrockRegion = "us-west-2",
            HttpStatus = 200,
            LatencyMs = 812.345,
            TimeToFirstTokenMs = 95.04,
            Tokens = new TokenUsage(12, 34, 5, 6),
            Failovers = 1,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        JsonElement directive = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("Test/Proxy", directive.GetProperty("Namespace").GetString());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal(
            """[["CustomerId","ModelId"],["ModelId"],["BedrockRegion"],[]]""",
            directive.GetProperty("Dimensions").GetRawText());
        Assert.Equal(
            ["Requests", "ClientErrors", "BedrockErrors", "ProxyErrors", "CustomerThrottles", "BedrockThrottles", "BedrockFailovers",
             "Latency", "TimeToFirstToken", "InputTokens", "OutputTokens", "CacheReadInputTokens", "CacheWriteInputTokens", "UnpricedRequests"],
            directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal("acme", line.GetProperty("CustomerId").GetString());
        Assert.Equal("amazon.nova-lite-v1:0", line.GetProperty("ModelId").GetString());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(0, line.GetProperty("BedrockErrors").GetInt32());
        Assert.Equal(1, line.GetProperty("BedrockFailovers").GetInt32());
        Assert.Equal(812.3, line.GetProperty("Latency").GetDouble());
        Assert.Equal(95.0, line.GetProperty("TimeToFirstToken").GetDouble());
        Assert.Equal(34, line.GetProperty("OutputTokens").GetInt32());
        Assert.Equal(6, line.GetProperty("CacheWriteInputTokens").GetInt32());
        Assert.Equal("req-1", line.GetProperty("request_id").GetString());
    }

    [Fact]
    public void Write_PricedRequest_CostInDollarsExactlyAndNotUnpriced()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-c", CustomerId = "acme", ModelId = "amazon.nova-lite-v1:0", ModelServed = true, HttpStatus = 200, LatencyMs = 1,
            Tokens = new TokenUsage(1000, 1000, 1000, 1000), CostMicroUsd = 375,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Contains("CostUsd", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("0.000375", line.GetProperty("CostUsd").GetRawText());
        Assert.Equal(0, line.GetProperty("UnpricedRequests").GetInt32());
    }

    [Fact]
    public void Write_UnpricedRequest_CountsUnpricedAndNoCost()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-u", CustomerId = "acme", ModelId = "meta.llama3-8b-instruct-v1:0", ModelServed = true, HttpStatus = 200, LatencyMs = 1,
            Tokens = new TokenUsage(10, 10),
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal(1, line.GetProperty("UnpricedRequests").GetInt32());
        Assert.False(line.TryGetProperty("CostUsd", out _));
    }

    [Fact]
    public void Write_CustomerThrottled_CountsTheCustomerLimitNotBedrock()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-2", CustomerId = "acme", ModelId = "m", HttpStatus = 429,
            Error = ErrorClass.Client, Throttle = ThrottleSource.Customer, LatencyMs = 3,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal(1, line.GetProperty("ClientErrors").GetInt32());
        Assert.Equal(1, line.GetProperty("CustomerThrottles").GetInt32());
        Assert.Equal(0, line.GetProperty("BedrockThrottles").GetInt32());
        // No tokens and no first token: those metrics are left out rather than reported as zero.
        string[] names = Names(line);
        Assert.DoesNotContain("InputTokens", names);
        Assert.DoesNotContain("TimeToFirstToken", names);
        Assert.False(line.TryGetProperty("InputTokens", out _));
    }

    [Fact]
    public void Write_UnknownCaller_OnlyTheServiceWideSet()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-3", HttpStatus = 401, Error = ErrorClass.Client, LatencyMs = 1,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal("[[]]", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions").GetRawText());
        Assert.False(line.TryGetProperty("CustomerId", out _));
    }

    [Fact]
    public void Write_ModelBedrockDidNotServe_CountedUnderTheFixedValue()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-4", CustomerId = "acme", ModelId = "invented.model-v9:0", BedrockRegion = "us-east-1",
            HttpStatus = 404, Error = ErrorClass.Client, LatencyMs = 20,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal(MetricsLog.UnservedModel, line.GetProperty("ModelId").GetString());
        Assert.Equal("acme", line.GetProperty("CustomerId").GetString());
        Assert.DoesNotContain("invented", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_RefusedBeforeTheModelWasRead_KnownCustomerCountedUnderTheFixedValue()
    {
        JsonElement line = WriteOne(new RequestMetrics
        {
            RequestId = "req-5", CustomerId = "acme", HttpStatus = 400, Error = ErrorClass.Client, LatencyMs = 1,
        }, out string text);

        Assert.Empty(EmfValidator.Violations(text));
        Assert.Equal(
            """[["CustomerId","ModelId"],["ModelId"],[]]""",
            line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions").GetRawText());
        Assert.Equal(MetricsLog.UnservedModel, line.GetProperty("ModelId").GetString());
    }

    [Fact]
    public void Write_FiftyRandomModelsNeverServed_OneModelDimensionValue()
    {
        var output = new StringWriter();
        var time = new ManualTimeProvider(Now);
        var log = new MetricsLog(new JsonLog(output, time), "Test/Proxy", time);
        for (int i = 0; i < 50; i++)
        {
            log.Write(new RequestMetrics
            {
                RequestId = $"req-{i}", CustomerId = "acme", ModelId = $"made.up-{Guid.NewGuid():N}:0",
                HttpStatus = i % 2 == 0 ? 400 : 403, Error = ErrorClass.Client, LatencyMs = 1,
            });
        }

        string[] models = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(text => JsonDocument.Parse(text).RootElement.GetProperty("ModelId").GetString()!)
            .Distinct().ToArray();
        Assert.Equal([MetricsLog.UnservedModel], models);
    }

    [Theory]
    [InlineData(200, null, "None", "None")]
    [InlineData(200, "ClientCancelled", "None", "None")]
    [InlineData(429, "ThrottlingException", "Bedrock", "Bedrock")]
    [InlineData(200, "ThrottlingException", "Bedrock", "Bedrock")]
    [InlineData(400, "ValidationException", "Client", "None")]
    [InlineData(404, "ResourceNotFoundException", "Client", "None")]
    [InlineData(403, "AccessDeniedException", "Proxy", "None")]
    [InlineData(502, "InternalServerException", "Bedrock", "None")]
    [InlineData(503, "ServiceUnavailableException", "Bedrock", "None")]
    [InlineData(504, "ModelTimeoutException", "Bedrock", "None")]
    [InlineData(200, "ModelStreamErrorException", "Bedrock", "None")]
    [InlineData(504, "DeadlineExceeded", "Proxy", "None")]
    [InlineData(500, "InternalServerException", "Proxy", "None")]
    [InlineData(424, "ModelErrorException", "Client", "None")]
    public void FromOutcome_StatusAndType_Classified(int status, string? type, string error, string throttle)
    {
        Assert.Equal((Enum.Parse<ErrorClass>(error), Enum.Parse<ThrottleSource>(throttle)), ErrorClassifier.FromOutcome(status, type));
    }

    private static string[] Names(JsonElement line) =>
        line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Name").GetString()!).ToArray();

    private static JsonElement WriteOne(RequestMetrics metrics, out string text)
    {
        var output = new StringWriter();
        var time = new ManualTimeProvider(Now);
        new MetricsLog(new JsonLog(output, time), "Test/Proxy", time).Write(metrics);
        text = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
