namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>
/// Tests that run the runtime loop share this collection so they never run at the same time:
/// the loop sets the process-wide _X_AMZN_TRACE_ID variable.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RuntimeLoopCollection
{
    public const string Name = "RuntimeLoop";
}
