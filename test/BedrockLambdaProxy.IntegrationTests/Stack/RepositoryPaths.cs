namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>Where the executables the local stack runs are found.</summary>
internal static class RepositoryPaths
{
    /// <summary>The directory holding BedrockLambdaProxy.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>BOOTSTRAP_PATH (scripts/test.sh: the Native AOT sam package), or artifacts/bootstrap/bootstrap (scripts/start-local.sh builds it there).</summary>
    public static string Bootstrap =>
        Environment.GetEnvironmentVariable("BOOTSTRAP_PATH") is { Length: > 0 } path
            ? path
            : Path.Combine(Root, "artifacts", "bootstrap", "bootstrap");

    /// <summary>
    /// TESTFUNCTION_PATH, or the test function's apphost from its own build output (same
    /// configuration as these tests; the project reference builds it first).
    /// </summary>
    public static string TestFunction
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TESTFUNCTION_PATH") is { Length: > 0 } path)
            {
                return path;
            }

            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
            return Path.Combine(Root, "test", "BedrockLambdaProxy.TestFunction", "bin", configuration, framework, "testfunction");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BedrockLambdaProxy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BedrockLambdaProxy.sln not found above " + AppContext.BaseDirectory);
    }
}
