namespace BedrockLambdaProxy.LocalHost;

/// <summary>
/// A dependency the stack starts before the workers (DynamoDB, the Bedrock simulator). It may add
/// the variables the function needs to reach it to the function's environment.
/// </summary>
internal interface ILocalService : IAsyncDisposable
{
    string Name { get; }

    Task StartAsync(IDictionary<string, string> functionEnvironment, CancellationToken cancellationToken);
}
