using System.Collections.Concurrent;
using Amazon.Runtime;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// Counts DynamoDB HTTP round trips by operation (from the X-Amz-Target header), the way the
/// benchmark reports round trips and writes per request.
/// </summary>
public sealed class DynamoCallCounter
{
    private static readonly string[] WriteOperations = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];
    private readonly ConcurrentQueue<string> _operations = new();

    public void Add(string operation) => _operations.Enqueue(operation);

    public IReadOnlyList<string> Snapshot() => [.. _operations];

    public void Reset() => _operations.Clear();

    public int RoundTrips => _operations.Count;

    public int Writes => _operations.Count(op => WriteOperations.Contains(op));
}

/// <summary>Gives the SDK an HttpClient whose handler reports every request to a <see cref="DynamoCallCounter"/>.</summary>
public sealed class CountingHttpClientFactory(DynamoCallCounter counter) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new CountingHandler(counter) { InnerHandler = new SocketsHttpHandler() })
        {
            Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(10),
        };

    private sealed class CountingHandler(DynamoCallCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string target = request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? values)
                ? values.First()
                : request.Content?.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? contentValues) == true ? contentValues.First() : "?";
            counter.Add(target[(target.LastIndexOf('.') + 1)..]);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
