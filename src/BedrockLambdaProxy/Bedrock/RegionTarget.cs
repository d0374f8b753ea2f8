using Amazon.Runtime;
using BedrockLambdaProxy.Signing;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// One region the client can send to: its endpoint, an HttpClient whose SigV4 signer scopes
/// credentials to that region (a signature for us-east-1 is refused by us-west-2), and its breaker.
/// </summary>
internal sealed class RegionTarget : IDisposable
{
    private const string SigningService = "bedrock";

    public RegionTarget(BedrockRegion region, HttpMessageHandler transport, AWSCredentials credentials, RegionCircuitBreaker breaker)
    {
        Region = region;
        Breaker = breaker;
        var signer = new SigV4Handler(new SigV4Signer(credentials, region.Name, SigningService, TimeProvider.System), transport);
        // The transport (connection pool) is shared by every region and client; only the signer belongs to this target.
        Http = new HttpClient(signer, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public BedrockRegion Region { get; }
    public HttpClient Http { get; }
    public RegionCircuitBreaker Breaker { get; }

    public void Dispose() => Http.Dispose();
}
