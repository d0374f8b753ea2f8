using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockClientFailoverTests
{
    private const string Model = "amazon.nova-lite-v1:0";
    private const string East = "east.test";
    private const string West = "west.test";
    private static readonly byte[] Body = """{"messages":[]}"""u8.ToArray();

    private readonly List<TimeSpan> _waits = [];
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("ThrottlingException", HttpStatusCode.TooManyRequests)]
    [InlineData("InternalServerException", HttpStatusCode.InternalServerError)]
    [InlineData("ServiceUnavailableException", HttpStatusCode.ServiceUnavailable)]
    [InlineData("ModelNotReadyException", HttpStatusCode.TooManyRequests)]
    [InlineData("ModelTimeoutException", HttpStatusCode.RequestTimeout)]
    public async Task SendAsync_FirstRegionTransientError_AnswersFromSecondWithoutWaiting(string errorType, HttpStatusCode status)
    {
        var handler = new ScriptedHandler().ThenError(errorType, status, "east is unwell").Then(HttpStatusCode.OK, """{"output":{}}""");
        using BedrockClient client = NewClient(handler);

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal([East, West], handler.Authorities);
        Assert.Equal(new BedrockRoute("us-west-2", 2, 1), response.Route);
        Assert.Empty(_waits);
        // Each region's request is signed for that region's credential scope.
        Assert.Contains("/us-east-1/bedrock/aws4_request", handler.Requests[0].Authorization, StringComparison.Ordinal);
        Assert.Contains("/us-west-2/bedrock/aws4_request", handler.Requests[1].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedInFirstRegion_FailsOver()
    {
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException("Connection refused (east.test:443)"))
            .Then(HttpStatusCode.OK, "{}");
        using BedrockClient client = NewClient(handler);

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal("us-west-2", response.Route!.Region);
        Assert.Equal([East, West], handler.Authorities);
    }

    [Theory]
    [InlineData("ValidationException", HttpStatusCode.BadRequest)]
    [InlineData("AccessDeniedException", HttpStatusCode.Forbidden)]
    [InlineData("ResourceNotFoundException", HttpStatusCode.NotFound)]
    public async Task SendAsync_ValidationOrAccessError_NeverFailsOver(string errorType, HttpStatusCode status)
    {
        var handler = new ScriptedHandler().ThenError(errorType, status, "no");
        using BedrockClient client = NewClient(handler);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal([East], handler.Authorities);
        Assert.Equal(new BedrockRoute("us-east-1", 1, 0), error.Route);
        Assert.Equal(RegionCircuitState.Closed, client.Regions[0].State);
    }

    [Fact]
    public async Task SendAsync_BothRegionsThrottle_BacksOffOnlyWhenReturningAndKeepsTheAttemptBudget()
    {
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "1")
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "2")
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "3")
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "4");
        using BedrockClient client = NewClient(handler, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal([East, West, East, West], handler.Authorities);
        Assert.Equal(4, error.Attempts);
        Assert.Equal("4", error.Message);
        Assert.Equal(new BedrockRoute("us-west-2", 4, 3), error.Route);
        // No wait before the first move to west; a wait before each return to a region already tried (attempts 3 and 4).
        Assert.Equal(2, _waits.Count);
    }

    [Fact]
    public async Task SendAsync_DeadlinePassed_NoFailover()
    {
        var handler = new ScriptedHandler().ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down");
        using BedrockClient client = NewClient(handler);
        DateTimeOffset deadline = _time.GetUtcNow();

        await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, deadline, Token()));

        Assert.Equal([East], handler.Authorities);
    }

    [Fact]
    public async Task SendAsync_PrimaryKeepsFailing_SkippedForTheCooldownThenProbed()
    {
        var handler = new ScriptedHandler();
        for (int i = 0; i < 3; i++)
        {
            handler.ThenError("ServiceUnavailableException", HttpStatusCode.ServiceUnavailable, "east down").Then(HttpStatusCode.OK, "{}");
        }
        handler.Then(HttpStatusCode.OK, "{}") // the fourth request: east's circuit is open, straight to west
            .Then(HttpStatusCode.OK, "{}"); // after the cool-down: the probe to east succeeds
        using BedrockClient client = NewClient(handler);

        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());
        }
        Assert.Equal(RegionCircuitState.Open, client.Regions[0].State);
        BedrockResponse skipped = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());
        _time.Advance(TimeSpan.FromSeconds(30));
        BedrockResponse probe = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(new BedrockRoute("us-west-2", 1, 0), skipped.Route);
        Assert.Equal(new BedrockRoute("us-east-1", 1, 0), probe.Route);
        Assert.Equal([East, West, East, West, East, West, West, East], handler.Authorities);
        Assert.Equal(RegionCircuitState.Closed, client.Regions[0].State);
    }

    [Fact]
    public async Task OpenStreamAsync_FirstRegionThrottles_StreamComesFromSecond()
    {
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down")
            .Then(HttpStatusCode.OK, "");
        using BedrockClient client = NewClient(handler);

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal("us-west-2", stream.Route!.Region);
        Assert.Equal([East, West], handler.Authorities);
    }

    [Fact]
    public async Task OpenStreamAsync_FirstRegionNeverStarts_AbandonedAtTheStartLimitAndStreamComesFromSecond()
    {
        var eastAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(eastAborted).Then(HttpStatusCode.OK, "");
        using BedrockClient client = NewClient(handler, streamStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(50)));

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(new BedrockRoute("us-west-2", 2, 1), stream.Route);
        Assert.Equal([East, West], handler.Authorities);
        Assert.True(eastAborted.Task.IsCompleted, "the hung attempt's request was not cancelled");
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task OpenStreamAsync_HungRegionEveryTime_ItsCircuitOpens()
    {
        var handler = new ScriptedHandler();
        for (int i = 0; i < 3; i++)
        {
            handler.ThenHang(new TaskCompletionSource()).Then(HttpStatusCode.OK, "");
        }
        using BedrockClient client = NewClient(handler, streamStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(20)));

        for (int i = 0; i < 3; i++)
        {
            await using BedrockEventStream stream = await client.OpenStreamAsync(
                BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, Token());
            Assert.Equal("us-west-2", stream.Route!.Region);
        }

        // A timeout is a failure of the region, not a cancellation that says nothing about it.
        Assert.Equal(RegionCircuitState.Open, client.Regions[0].State);
    }

    [Fact]
    public async Task SendAsync_UnaryAnswersTooLongForTheStartLimit_FailOverButNeverOpenTheCircuit()
    {
        var handler = new ScriptedHandler();
        for (int i = 0; i < 5; i++)
        {
            handler.ThenHang(new TaskCompletionSource()).Then(HttpStatusCode.OK, "{}");
        }
        using BedrockClient client = NewClient(handler, unaryStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(20)));

        for (int i = 0; i < 5; i++)
        {
            BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());
            Assert.Equal("us-west-2", response.Route!.Region);
        }

        // A unary answer's start is its whole generation: how long is the caller's choice, not the region's health.
        Assert.Equal(RegionCircuitState.Closed, client.Regions[0].State);
        Assert.Equal(DateTimeOffset.MinValue, client.Regions[0].LastFailure);
    }

    [Fact]
    public async Task SendAsync_ModelTimeoutEveryTime_FailsOverButNeverOpensTheCircuit()
    {
        var handler = new ScriptedHandler();
        for (int i = 0; i < 5; i++)
        {
            handler.ThenError("ModelTimeoutException", HttpStatusCode.RequestTimeout, "too long").Then(HttpStatusCode.OK, "{}");
        }
        using BedrockClient client = NewClient(handler);

        for (int i = 0; i < 5; i++)
        {
            BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());
            Assert.Equal("us-west-2", response.Route!.Region);
        }

        Assert.Equal(RegionCircuitState.Closed, client.Regions[0].State);
    }

    [Fact]
    public async Task OpenStreamAsync_NoRegionStarts_TimeoutAfterTheAttemptBudgetMapsTo504()
    {
        var handler = new ScriptedHandler().ThenHang(new TaskCompletionSource()).ThenHang(new TaskCompletionSource());
        using BedrockClient client = NewClient(handler, maxAttempts: 2, streamStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(20)));

        BedrockException error = await Assert.ThrowsAsync<BedrockException>(() => client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal(BedrockException.StartTimeoutErrorType, error.ErrorType);
        Assert.Equal(2, error.Attempts);
        Assert.Equal("Amazon Bedrock did not start answering within 0.02 s.", error.Message);
        BedrockProxyError mapped = BedrockErrorMapping.ToProxyStatus(error);
        Assert.Equal((504, "ServiceUnavailableException"), (mapped.StatusCode, mapped.ErrorType));
    }

    [Fact]
    public async Task SendAsync_UnaryCall_NotBoundByTheStreamStartLimit()
    {
        // A unary answer starts only when the generation is done: only the caller's deadline bounds it.
        var eastAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(eastAborted).Then(HttpStatusCode.OK, "{}");
        using BedrockClient client = NewClient(handler, streamStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(20)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(
            BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, deadline.Token));

        Assert.Equal([East], handler.Authorities);
        Assert.True(eastAborted.Task.IsCompleted);
    }

    [Fact]
    public async Task SendAsync_UnaryLimitSet_HungRegionGivenUpAndAnswerComesFromSecond()
    {
        var eastAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(eastAborted).Then(HttpStatusCode.OK, "{}");
        using BedrockClient client = NewClient(handler, unaryStart: AttemptStartLimit.Fixed(TimeSpan.FromMilliseconds(20)));

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(new BedrockRoute("us-west-2", 2, 1), response.Route);
        Assert.True(eastAborted.Task.IsCompleted, "the hung attempt's request was not cancelled");
    }

    [Fact]
    public async Task OpenStreamAsync_ByDefault_HungFirstRegionGivenUpAfterHalfTheTimeLeft()
    {
        // Two regions and the default fair share: east may wait half of the 400 ms left, west the rest.
        var eastAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(eastAborted).Then(HttpStatusCode.OK, "");
        using BedrockClient client = NewClient(handler);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, _time.GetUtcNow().AddMilliseconds(400), Token());

        Assert.Equal(new BedrockRoute("us-west-2", 2, 1), stream.Route);
        Assert.True(eastAborted.Task.IsCompleted, "the hung attempt's request was not cancelled");
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(190), $"east was given up on after {elapsed.Elapsed}, before its share");
    }

    [Fact]
    public async Task OpenStreamAsync_ByDefault_NoOtherRegionToTry_WaitsUntilTheCallerGivesUp()
    {
        // One attempt in the budget: nothing could follow, so no share is cut off the deadline.
        var eastAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(eastAborted);
        using BedrockClient client = NewClient(handler, maxAttempts: 1);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, _time.GetUtcNow().AddMilliseconds(40), caller.Token));

        Assert.Equal([East], handler.Authorities);
        Assert.True(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task OpenStreamAsync_ByDefault_OtherRegionsCircuitOpen_NoShareCutOff()
    {
        // East is skipped for its cool-down, so west is the only region this call could use: no share.
        var westAborted = new TaskCompletionSource();
        var handler = new ScriptedHandler().ThenHang(westAborted);
        using BedrockClient client = NewClient(handler);
        for (int i = 0; i < client.Regions[0].FailureThreshold; i++)
        {
            client.Regions[0].RecordFailure();
        }
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, _time.GetUtcNow().AddMilliseconds(40), caller.Token));

        Assert.Equal([West], handler.Authorities);
        Assert.True(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task SendAsync_CrossRegionProfile_SameModelIdInEveryRegion()
    {
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down")
            .Then(HttpStatusCode.OK, "{}");
        using BedrockClient client = NewClient(handler);

        await client.SendAsync(BedrockOperation.Converse, "us.anthropic.claude-3-haiku-20240307-v1:0", Body, BedrockRequestHeaders.Empty, Token());

        Assert.All(handler.Requests, r => Assert.Equal("/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/converse", r.Path));
    }

    [Theory]
    [InlineData("ENABLED\r\nX-Injected: 1")]
    [InlineData("ENABLED\u00e9")]
    [InlineData("ENABLED\tFULL")]
    public async Task SendAsync_CallerHeaderNotVisibleAscii_RefusedBeforeAnyAttemptAndNoRegionIsJudged(string trace)
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, """{"output":{}}""");
        using BedrockClient client = NewClient(handler);
        var headers = new BedrockRequestHeaders { Trace = trace };

        // More bad requests than the breaker's threshold: none of them may count against east.
        for (int i = 0; i <= client.Regions[0].FailureThreshold; i++)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() =>
                client.SendAsync(BedrockOperation.Converse, Model, Body, headers, Token()));
            Assert.Contains(BedrockRequestHeaders.TraceName, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(handler.Authorities);
        Assert.Equal(RegionCircuitState.Closed, client.Regions[0].State);
        Assert.Equal(DateTimeOffset.MinValue, client.Regions[0].LastFailure);
        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());
        Assert.Equal("us-east-1", response.Route!.Region);
        Assert.Equal([East], handler.Authorities);
    }

    [Fact]
    public async Task SendAsync_AccessDenied_WholeMessageLoggedForTheOperator()
    {
        const string denial = "User: arn:aws:sts::123456789012:assumed-role/R/S is not authorized to perform: bedrock:InvokeModel "
            + "on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";
        var handler = new ScriptedHandler().ThenError("AccessDeniedException", HttpStatusCode.Forbidden, denial);
        var output = new StringWriter();
        using BedrockClient client = NewClient(handler, log: new JsonLog(output, _time));

        await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        string line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument json = JsonDocument.Parse(line);
        Assert.Equal(denial, json.RootElement.GetProperty("bedrock_message").GetString());
        Assert.Equal("us-east-1", json.RootElement.GetProperty("bedrock_region").GetString());
        Assert.Equal("bedrock:InvokeModel", json.RootElement.GetProperty("iam_action").GetString());
    }

    private BedrockClient NewClient(
        ScriptedHandler handler, int maxAttempts = 4, AttemptStartLimit? streamStart = null, AttemptStartLimit? unaryStart = null,
        JsonLog? log = null)
    {
        var policy = new BedrockRetryPolicy(maxAttempts, _time, () => 0.5, (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        });
        var settings = new ProxySettings
        {
            Region = "us-east-1",
            BedrockRegions =
            [
                new BedrockRegion("us-east-1", new Uri("https://east.test")),
                new BedrockRegion("us-west-2", new Uri("https://west.test")),
            ],
            BedrockStreamStartLimit = streamStart ?? AttemptStartLimit.FairShare,
            BedrockUnaryStartLimit = unaryStart ?? AttemptStartLimit.None,
        };
        return new BedrockClient(settings, handler, new BasicAWSCredentials("AKIDEXAMPLE", "secret"), policy, log);
    }

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
