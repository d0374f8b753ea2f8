using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// The shared dynalite fixture (tables from <see cref="TableDefinitions"/>) plus clients whose
/// round trips are counted, as the benchmark counts them.
/// </summary>
public sealed class LimitsDynalite : DynaliteFixture
{
    public DynamoCallCounter Calls { get; } = new();

    public string RateLimitsTable => Tables.RateLimits;

    public string UsageTable => Tables.Usage;

    /// <summary>A client with the function's timeouts (<see cref="DynamoClientFactory"/>) whose requests are counted.</summary>
    public AmazonDynamoDBClient CreateClient(int maxErrorRetry = DynamoClientFactory.MaxErrorRetry)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            Timeout = DynamoClientFactory.AttemptTimeout,
            MaxErrorRetry = maxErrorRetry,
            HttpClientFactory = new CountingHttpClientFactory(Calls),
        };
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }
}
