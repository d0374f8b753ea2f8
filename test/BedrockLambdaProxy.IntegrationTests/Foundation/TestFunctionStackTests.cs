using System.Net;
using System.Text;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.LocalHost.Invocations;

namespace BedrockLambdaProxy.IntegrationTests.Foundation;

/// <summary>The local stack running a real executable (the test function) on the function's own runtime loop.</summary>
public sealed class TestFunctionStackTests : IClassFixture<TestFunctionStackFixture>, IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly TestFunctionStackFixture _fixture;
    private readonly string _flagDirectory = Directory.CreateTempSubdirectory("localstack-flags-").FullName;

    public TestFunctionStackTests(TestFunctionStackFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => Directory.Delete(_flagDirectory, recursive: true);

    [Fact]
    public async Task FunctionUrl_StreamedChunks_FirstChunkArrivesBeforeFunctionWritesSecond()
    {
        await AssertLiveStreamAsync(new Uri(_fixture.Stack.FunctionUrl, "chunks"));
    }

    [Fact]
    public async Task ApiGatewayStreamRoute_StreamedChunks_FirstChunkArrivesBeforeFunctionWritesSecond()
    {
        await AssertLiveStreamAsync(new Uri(_fixture.Stack.ApiGatewayUrl, "stream/chunks"));
    }

    [Fact]
    public async Task ApiGatewayBufferedRoute_Request_ReturnsProxyResponseBody()
    {
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.ApiGatewayUrl, "echo?x=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"path\":\"/echo\",\"streams\":false}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionUrl_HandlerThrows_Returns502AndNextRequestStillWorks()
    {
        var restarts = _fixture.Stack.WorkerRestarts;
        using var failed = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "boom"));
        using var next = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "echo"));

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", await failed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("{\"path\":\"/echo\",\"streams\":true}", await next.Content.ReadAsStringAsync());
        Assert.Equal(restarts, _fixture.Stack.WorkerRestarts);
    }

    [Fact]
    public async Task FunctionUrl_WorkerProcessDies_Returns502AndWorkerIsReplaced()
    {
        var restarts = _fixture.Stack.WorkerRestarts;
        using var failed = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "exit"));
        using var next = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "echo"));

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.True(await Eventually.WaitAsync(() => _fixture.Stack.WorkerRestarts >= restarts + 1, Guard));
        Assert.Equal(restarts + 1, _fixture.Stack.WorkerRestarts);
    }

    [Fact]
    public async Task ApiGateway_HandlerThrows_Returns502InternalServerError()
    {
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.ApiGatewayUrl, "boom"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("{\"message\":\"Internal server error\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionUrl_CrashAfterFirstChunk_ClientSeesTruncatedStream()
    {
        using var timeout = new CancellationTokenSource(Guard);
        using var response = await _fixture.Client.GetAsync(
            new Uri(_fixture.Stack.FunctionUrl, "crash-after-first"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var (text, error) = await StreamReading.ReadToEndAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("first", text);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Invoke_MalformedEvent_ReturnsFunctionErrorAndLoopSurvives()
    {
        var restarts = _fixture.Stack.WorkerRestarts;
        var result = await _fixture.Stack.InvokeAsync(Encoding.UTF8.GetBytes("{not json"));
        using var next = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "echo"));

        Assert.IsType<FunctionErrorResult>(result);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(restarts, _fixture.Stack.WorkerRestarts);
    }

    [Fact]
    public async Task FunctionAndApiGateway_PastFunctionTimeout_Return502And504AndWorkerIsReplaced()
    {
        var restarts = _fixture.Stack.WorkerRestarts;
        var sleep = (int)(TestFunctionStackFixture.FunctionTimeout.TotalMilliseconds * 4);
        var viaUrl = _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, $"sleep?ms={sleep}"));
        var viaApi = _fixture.Client.GetAsync(new Uri(_fixture.Stack.ApiGatewayUrl, $"sleep?ms={sleep}"));
        using var urlResponse = await viaUrl;
        using var apiResponse = await viaApi;
        using var next = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "echo"));

        Assert.Equal(HttpStatusCode.BadGateway, urlResponse.StatusCode);
        Assert.Equal(HttpStatusCode.GatewayTimeout, apiResponse.StatusCode);
        Assert.Equal("{\"message\":\"Endpoint request timed out\"}", await apiResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.True(await Eventually.WaitAsync(() => _fixture.Stack.WorkerRestarts >= restarts + 2, Guard));
        Assert.Equal(restarts + 2, _fixture.Stack.WorkerRestarts);
        Assert.Contains(_fixture.Stack.WorkerLogs, l => l.Text.Contains("Task timed out after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecycleWorkers_ColdStart_NewProcessesServeTheNextRequest()
    {
        var before = _fixture.Stack.WorkerProcessIds;
        await _fixture.Stack.RecycleWorkersAsync();
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "echo"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_fixture.Stack.WorkerProcessIds.Intersect(before));
        Assert.DoesNotContain(null, _fixture.Stack.WorkerProcessIds);
    }

    [Fact]
    public async Task WorkerLogs_AfterRequest_ContainTheFunctionsLogLine()
    {
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "logged-path"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_fixture.Stack.WorkerLogs, l => l.Text.Contains("\"path\":\"/logged-path\"", StringComparison.Ordinal));
    }

    private async Task AssertLiveStreamAsync(Uri chunks)
    {
        using var timeout = new CancellationTokenSource(Guard);
        var flag = Path.Combine(_flagDirectory, Guid.NewGuid().ToString("N"));
        var target = new Uri(chunks + "?flag=" + Uri.EscapeDataString(flag));
        using var response = await _fixture.Client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var body = await response.Content.ReadAsStreamAsync(timeout.Token);

        // The function writes "second" only once the flag exists, and the flag is created only
        // after "first" came through: a buffering relay would hang here until the guard fires.
        var first = await StreamReading.ReadUntilAsync(body, "first", timeout.Token);
        await File.WriteAllTextAsync(flag, "go", timeout.Token);
        var (rest, error) = await StreamReading.ReadToEndAsync(body, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("first", first);
        Assert.Equal("second", rest);
        Assert.Null(error);
    }
}
