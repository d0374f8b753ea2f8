using System.Net;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Foundation;

/// <summary>The real published bootstrap under the local stack (scripts/test.sh publishes it to artifacts/bootstrap).</summary>
public sealed class BootstrapStackTests : IClassFixture<BootstrapStackFixture>
{
    private readonly BootstrapStackFixture _fixture;

    public BootstrapStackTests(BootstrapStackFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Health_ThroughFunctionUrl_Returns200WithStatusVersionBuild()
    {
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "health"));

        await AssertHealthAsync(response);
    }

    [Fact]
    public async Task Health_ThroughApiGateway_Returns200WithStatusVersionBuild()
    {
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.ApiGatewayUrl, "health"));

        await AssertHealthAsync(response);
    }

    [Fact]
    public async Task Health_NamesTheBuildThatRuns_NativeAotExactlyWhenNoManagedAssemblyShips()
    {
        // A Native AOT package is the single `bootstrap` executable; the ReadyToRun and
        // framework-dependent builds ship bootstrap.dll beside it. /health must say which one runs,
        // so a test run can never silently exercise another build than the one it was given.
        var managed = File.Exists(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Bootstrap)!, "bootstrap.dll"));
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "health"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(!managed, document.RootElement.GetProperty("nativeAot").GetBoolean());
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString(), document.RootElement.GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task Invoke_MalformedEvent_DoesNotKillTheLoop()
    {
        var restarts = _fixture.Stack.WorkerRestarts;
        await _fixture.Stack.InvokeAsync(Encoding.UTF8.GetBytes("{\"neither\":\"format\"}"));
        await _fixture.Stack.InvokeAsync(Encoding.UTF8.GetBytes("not json at all"));
        using var response = await _fixture.Client.GetAsync(new Uri(_fixture.Stack.FunctionUrl, "health"));

        await AssertHealthAsync(response);
        Assert.Equal(restarts, _fixture.Stack.WorkerRestarts);
    }

    private static async Task AssertHealthAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("status").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.True(root.TryGetProperty("build", out _));
    }
}
