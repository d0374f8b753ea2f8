namespace BedrockLambdaProxy.LocalHost.Services;

/// <summary>Finds the repository (where node_modules lives) from the working directory or the build output.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BedrockLambdaProxy.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (BedrockLambdaProxy.sln) above the working directory.");
    }
}
