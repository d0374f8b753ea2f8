using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>A real client (the function's configuration) that counts GetItem calls, to prove what the cache saves.</summary>
internal sealed class CountingDynamoClient(Uri endpoint)
    : AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), DynamoClientFactory.CreateConfig("us-east-1", endpoint))
{
    private int _getItemCalls;

    public int GetItemCalls => Volatile.Read(ref _getItemCalls);

    public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _getItemCalls);
        return base.GetItemAsync(request, cancellationToken);
    }
}
