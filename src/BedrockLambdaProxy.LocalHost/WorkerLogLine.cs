namespace BedrockLambdaProxy.LocalHost;

/// <summary>One line a worker process wrote to stdout or stderr.</summary>
internal sealed record WorkerLogLine(int Worker, bool IsError, string Text, DateTimeOffset Time);
