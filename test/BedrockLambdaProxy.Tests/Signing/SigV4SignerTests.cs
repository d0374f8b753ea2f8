using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using BedrockLambdaProxy.Signing;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Signing;

/// <summary>
/// The function's own SigV4 signer on a Bedrock-shaped request: the canonical request is written here as the
/// specification spells it, and AWSSDK.Core's SigV4 computation is the judge of the signature.
/// </summary>
public sealed class SigV4SignerTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string PayloadHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("FQoGZXIvYXdzEXAMPLETOKEN")]
    public async Task SignAsync_BedrockRequest_SameSignatureAsTheSdk(string? token)
    {
        AWSCredentials credentials = token is null ? new BasicAWSCredentials(AccessKey, Secret) : new SessionAWSCredentials(AccessKey, Secret, token);
        var signer = new SigV4Signer(credentials, "us-west-2", "bedrock", new ManualTimeProvider(Now));
        using HttpRequestMessage request = BedrockRequest();

        await signer.SignAsync(request);

        string tokenLine = token is null ? "" : $"x-amz-security-token:{token}\n";
        string signedHeaders = "accept;content-type;host;x-amz-content-sha256;x-amz-date;" + (token is null ? "" : "x-amz-security-token;")
            + "x-amzn-bedrock-trace";
        string canonical = "POST\n"
            + "/model/us.anthropic.claude-v2%253A1/converse-stream\n"
            + "\n"
            + "accept:application/vnd.amazon.eventstream\n"
            + "content-type:application/json\n"
            + "host:bedrock-runtime.us-west-2.amazonaws.com\n"
            + $"x-amz-content-sha256:{PayloadHash}\n"
            + "x-amz-date:20261205T030405Z\n"
            + tokenLine
            + "x-amzn-bedrock-trace:ENABLED FULL\n"
            + "\n"
            + signedHeaders + "\n"
            + PayloadHash;
        AWS4SigningResult expected = AWS4Signer.ComputeSignature(AccessKey, Secret, "us-west-2", Now.UtcDateTime, "bedrock", signedHeaders, canonical);
        Assert.Equal(expected.ForAuthorizationHeader, request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20261205T030405Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(token is not null, request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task SignAsync_SecondRequestSameDay_SameSignatureForSameRequest()
    {
        var signer = new SigV4Signer(new BasicAWSCredentials(AccessKey, Secret), "us-west-2", "bedrock", new ManualTimeProvider(Now));
        using HttpRequestMessage first = BedrockRequest();
        using HttpRequestMessage second = BedrockRequest();

        await signer.SignAsync(first);
        await signer.SignAsync(second);

        Assert.Equal(first.Headers.GetValues("Authorization").Single(), second.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task SignAsync_NoPayloadHash_Refused()
    {
        var signer = new SigV4Signer(new BasicAWSCredentials(AccessKey, Secret), "us-west-2", "bedrock", new ManualTimeProvider(Now));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-west-2.amazonaws.com/model/x/converse");

        await Assert.ThrowsAsync<InvalidOperationException>(() => signer.SignAsync(request).AsTask());
    }

    [Fact]
    public async Task SignAsync_QueryString_Refused()
    {
        var signer = new SigV4Signer(new BasicAWSCredentials(AccessKey, Secret), "us-west-2", "bedrock", new ManualTimeProvider(Now));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-west-2.amazonaws.com/model/x/converse?a=b");
        request.Headers.TryAddWithoutValidation(SigV4Signer.ContentSha256Header, PayloadHash);

        await Assert.ThrowsAsync<InvalidOperationException>(() => signer.SignAsync(request).AsTask());
    }

    private static HttpRequestMessage BedrockRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri("https://bedrock-runtime.us-west-2.amazonaws.com/model/" + Uri.EscapeDataString("us.anthropic.claude-v2:1") + "/converse-stream"))
        {
            Content = new ByteArrayContent("{}"u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation(SigV4Signer.ContentSha256Header, PayloadHash);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.amazon.eventstream");
        // Inner runs of spaces collapse to one in the canonical value; the ends are trimmed.
        request.Headers.TryAddWithoutValidation("X-Amzn-Bedrock-Trace", "  ENABLED   FULL ");
        return request;
    }
}
