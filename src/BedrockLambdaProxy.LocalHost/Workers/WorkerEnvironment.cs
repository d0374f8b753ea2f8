using System.Globalization;

namespace BedrockLambdaProxy.LocalHost.Workers;

/// <summary>The reserved environment variables Lambda sets in every execution environment, plus the function's own.</summary>
internal static class WorkerEnvironment
{
    public static IEnumerable<KeyValuePair<string, string>> For(LocalStackOptions options, int index, int runtimePort, string bootstrap)
    {
        var directory = Path.GetDirectoryName(bootstrap)!;
        var date = DateTime.UtcNow.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{runtimePort}",
            ["AWS_LAMBDA_FUNCTION_NAME"] = options.FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = options.MemorySizeMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + options.FunctionName,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{date}/[$LATEST]local{index:D4}",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_REGION"] = options.Region,
            ["AWS_DEFAULT_REGION"] = options.Region,
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            ["LAMBDA_TASK_ROOT"] = directory,
            ["LAMBDA_RUNTIME_DIR"] = directory,
            ["_HANDLER"] = "bootstrap",
            ["TZ"] = ":UTC",
        };

        foreach (var (key, value) in options.FunctionEnvironment)
        {
            values[key] = value;
        }

        return values;
    }
}
