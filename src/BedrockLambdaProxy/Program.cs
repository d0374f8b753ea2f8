namespace BedrockLambdaProxy;

/// <summary>The composition root: reads settings, builds the pipeline, runs the invocation loop.</summary>
internal static class Program
{
    private static Task<int> Main()
    {
        // Wired up as the pipeline lands; see README "How the pieces map to folders".
        return Task.FromResult(0);
    }
}
