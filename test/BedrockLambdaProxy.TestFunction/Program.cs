using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.TestFunction;

/// <summary>Runs the test handler under the real runtime loop.</summary>
internal static class Program
{
    private static async Task<int> Main()
    {
        var runtimeApi = Environment.GetEnvironmentVariable(LambdaBootstrap.RuntimeApiVariable) ?? string.Empty;
        Console.WriteLine("{\"message\":\"testfunction starting\"}");
        return await LambdaBootstrap.RunAsync(runtimeApi, () => new TestHandler(), CancellationToken.None).ConfigureAwait(false);
    }
}
