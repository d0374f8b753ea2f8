using System.Net;
using Amazon.Runtime;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockClientRetryTests
{
    private const string Model = "anthropic.claude-3-haiku-20240307-v1:0";
    private static readonly byte[] Body = """{"messages":[]}"""u8.ToArray();

    private readonly List<TimeSpan> _waits = [];

    [Fact]
    public async Task SendAsync_ThrottledTwiceThenOk_SucceedsOnThirdAttempt()
    {
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "Too many requests")
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "Too many requests")
            .Then(HttpStatusCode.OK, """{"output":{}}""");
        using BedrockClient client = NewClient(handler, maxAttempts: 4, random: 0.5);

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(Body, r.Body));
        Assert.All(handler.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 ", r.Authorization, StringComparison.Ordinal));
        // Full jitter with random 0.5: half of 100 ms, then half of 200 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], _waits);
    }

    [Fact]
    public async Task SendAsync_ValidationException_OneAttemptAndTypedError()
    {
        var handler = new ScriptedHandler().ThenError("ValidationException", HttpStatusCode.BadRequest, "messages: must not be empty");
        using BedrockClient client = NewClient(handler, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Single(handler.Requests);
        Assert.Empty(_waits);
        Assert.Equal("ValidationException", error.ErrorType);
        Assert.Equal("messages: must not be empty", error.Message);
        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, error.Attempts);
    }

    [Theory]
    [InlineData("AccessDeniedException", HttpStatusCode.Forbidden)]
    [InlineData("ResourceNotFoundException", HttpStatusCode.NotFound)]
    [InlineData("ServiceQuotaExceededException", HttpStatusCode.BadRequest)]
    [InlineData("ModelErrorException", HttpStatusCode.FailedDependency)]
    public async Task SendAsync_NonRetryableError_SingleAttempt(string errorType, HttpStatusCode status)
    {
        var handler = new ScriptedHandler().ThenError(errorType, status, "no");
        using BedrockClient client = NewClient(handler, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Single(handler.Requests);
        Assert.Equal(errorType, error.ErrorType);
    }

    [Theory]
    [InlineData("ServiceUnavailableException", HttpStatusCode.ServiceUnavailable)]
    [InlineData("InternalServerException", HttpStatusCode.InternalServerError)]
    [InlineData("ModelNotReadyException", HttpStatusCode.TooManyRequests)]
    [InlineData("ModelTimeoutException", HttpStatusCode.RequestTimeout)]
    [InlineData("SomethingNew", HttpStatusCode.BadGateway)]
    public async Task SendAsync_TransientErrorEveryTime_GivesUpAfterMaxAttempts(string errorType, HttpStatusCode status)
    {
        var handler = new ScriptedHandler().ThenError(errorType, status, "a").ThenError(errorType, status, "b").ThenError(errorType, status, "c");
        using BedrockClient client = NewClient(handler, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, _waits.Count);
        Assert.Equal(errorType, error.ErrorType);
        Assert.Equal("c", error.Message);
        Assert.Equal(3, error.Attempts);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedThenOk_Retries()
    {
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException("Connection refused"))
            .Then(HttpStatusCode.OK, "{}");
        using BedrockClient client = NewClient(handler, maxAttempts: 2);

        BedrockResponse response = await client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_NetworkFailsEveryTime_ThrowsNetworkError()
    {
        var handler = new ScriptedHandler().ThenThrow(new HttpRequestException("reset")).ThenThrow(new HttpRequestException("reset"));
        using BedrockClient client = NewClient(handler, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.True(error.IsNetworkFailure);
        Assert.Equal(0, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task SendAsync_TokenCancelledDuringBackoff_StopsRetrying()
    {
        using var cts = new CancellationTokenSource();
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down")
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down");
        var policy = new BedrockRetryPolicy(4, TimeProvider.System, () => 1, (_, ct) =>
        {
            cts.Cancel(); // the client goes away while we wait
            return Task.Delay(Timeout.Infinite, ct);
        });
        using BedrockClient client = NewClient(handler, policy);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, cts.Token));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task SendAsync_BackoffWouldPassDeadline_ReturnsThrottleWithoutWaiting()
    {
        var handler = new ScriptedHandler().ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down");
        using BedrockClient client = NewClient(handler, maxAttempts: 4, random: 0.99);
        DateTimeOffset deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(1);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, deadline, Token()));

        Assert.Equal("ThrottlingException", error.ErrorType);
        Assert.Single(handler.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task SendAsync_CancelledWhileWaitingForHeaders_AbortsRequest()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler().ThenHang(aborted);
        using BedrockClient client = NewClient(handler, maxAttempts: 4);
        using var cts = new CancellationTokenSource();

        Task call = client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, cts.Token);
        while (handler.Requests.Count == 0)
        {
            await Task.Delay(10);
        }
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task SendAsync_RetryAfterHeader_WaitsThatLongAndReportsIt()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"message":"wait"}""", ("x-amzn-ErrorType", "ThrottlingException"), ("Retry-After", "1"))
            .Then(HttpStatusCode.TooManyRequests, """{"message":"wait more"}""", ("x-amzn-ErrorType", "ThrottlingException"), ("Retry-After", "30"));
        using BedrockClient client = NewClient(handler, maxAttempts: 4, random: 0);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        // 1 s is within our cap so we wait it; 30 s is the caller's decision, so we stop and pass it on.
        Assert.Equal([TimeSpan.FromSeconds(1)], _waits);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_ErrorTypeOnlyInBody_ReadsDunderType()
    {
        var handler = new ScriptedHandler().Then(
            HttpStatusCode.BadRequest, """{"__type":"com.amazon.bedrock#ValidationException","Message":"bad body"}""");
        using BedrockClient client = NewClient(handler, maxAttempts: 4);

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal("ValidationException", error.ErrorType);
        Assert.Equal("bad body", error.Message);
    }

    [Fact]
    public async Task OpenStreamAsync_ThrottledThenOk_RetriesBeforeFirstByte()
    {
        var handler = new ScriptedHandler()
            .ThenError("ThrottlingException", HttpStatusCode.TooManyRequests, "slow down")
            .Then(HttpStatusCode.OK, "");
        using BedrockClient client = NewClient(handler, maxAttempts: 2);

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, Model, Body, BedrockRequestHeaders.Empty, Token());

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", handler.Requests[1].Path);
        Assert.Null(await stream.ReadNextAsync(Token()));
    }

    [Fact]
    public async Task SendAsync_NoCredentials_ThrowsCredentialsErrorWithoutRetry()
    {
        var handler = new ScriptedHandler();
        var credentials = new DefaultChainCredentials(() => throw new AmazonClientException("no credentials"));
        using var client = new BedrockClient(
            new ProxySettings { Region = "us-east-1" }, handler, credentials, new BedrockRetryPolicy(4, TimeProvider.System));

        var error = await Assert.ThrowsAsync<BedrockException>(() =>
            client.SendAsync(BedrockOperation.Converse, Model, Body, BedrockRequestHeaders.Empty, Token()));

        Assert.Equal(BedrockException.CredentialsErrorType, error.ErrorType);
        Assert.Empty(handler.Requests);
    }

    private BedrockClient NewClient(ScriptedHandler handler, int maxAttempts, double random = 0.5) =>
        NewClient(handler, new BedrockRetryPolicy(maxAttempts, TimeProvider.System, () => random, (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        }));

    private static BedrockClient NewClient(ScriptedHandler handler, BedrockRetryPolicy policy) =>
        new(
            new ProxySettings { Region = "us-east-1" },
            handler,
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            policy);

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
