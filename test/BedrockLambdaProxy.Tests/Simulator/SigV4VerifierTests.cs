using System.Text;
using BedrockSimulator;
using BedrockSimulator.Auth;
using Microsoft.AspNetCore.Http;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>
/// The expected signature below was computed separately (Python hmac/hashlib, written from the SigV4 spec) for
/// the simulator's default credentials, so these tests do not trust the verifier's own signing code.
/// </summary>
public sealed class SigV4VerifierTests
{
    private const string Path = "/model/amazon.nova-lite-v1%3A0/converse";
    private const string Signature = "465fb650b8b085b74c5bfd95d189334f7182c0852daa032beff51e6d65c6e816";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""");
    private static readonly DateTimeOffset SignedAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_IndependentlyComputedSignature_Accepted()
    {
        var outcome = Verifier().Verify("POST", Path, string.Empty, Headers(), Body);
        Assert.True(outcome.Accepted, outcome.Message);
    }

    [Fact]
    public void Verify_Http2AuthoritySignedInsteadOfHost_Accepted()
    {
        // Signed as the JS SDK does over HTTP/2 (":authority" in SignedHeaders); signature computed in Python.
        var headers = new HeaderDictionary
        {
            ["Host"] = "127.0.0.1:8080",
            ["X-Amz-Date"] = "20250101T000000Z",
            ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20250101/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=:authority;x-amz-date, Signature=e7dee37449aa84b91ac301f55f4f7b4f342bd7d7de885b7bc2fe506da8a67b77",
        };

        var outcome = Verifier().Verify("POST", Path, string.Empty, headers, Body);

        Assert.True(outcome.Accepted, outcome.Message);
    }

    [Fact]
    public void Verify_TamperedBody_RejectedAsInvalidSignature()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":[{"text":"Hellp"}]}]}""");
        var outcome = Verifier().Verify("POST", Path, string.Empty, Headers(), tampered);
        Assert.Equal(AuthOutcome.Reject("InvalidSignatureException", outcome.Message), outcome);
    }

    [Fact]
    public void Verify_PathNotEncodedAsSigned_RejectedAsInvalidSignature()
    {
        var outcome = Verifier().Verify("POST", "/model/amazon.nova-lite-v1:0/converse", string.Empty, Headers(), Body);
        Assert.Equal("InvalidSignatureException", outcome.ErrorType);
    }

    [Fact]
    public void Verify_UnknownAccessKey_RejectedAsUnrecognizedClient()
    {
        IHeaderDictionary headers = Headers();
        headers.Authorization = headers.Authorization.ToString().Replace("AKIDSIMULATOR", "AKIDOTHER", StringComparison.Ordinal);
        Assert.Equal("UnrecognizedClientException", Verifier().Verify("POST", Path, string.Empty, headers, Body).ErrorType);
    }

    [Fact]
    public void Verify_ClockSixteenMinutesLater_RejectedAsExpired()
    {
        var outcome = Verifier(SignedAt.AddMinutes(16)).Verify("POST", Path, string.Empty, Headers(), Body);
        Assert.Equal("InvalidSignatureException", outcome.ErrorType);
        Assert.Contains("expired", outcome.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Verify_ContentShaHeaderDisagreesWithBody_Rejected()
    {
        var headers = Headers();
        headers["x-amz-content-sha256"] = new string('0', 64);
        Assert.Equal("InvalidSignatureException", Verifier().Verify("POST", Path, string.Empty, headers, Body).ErrorType);
    }

    [Fact]
    public void Verify_NoAuthorization_RejectedAsMissingToken() =>
        Assert.Equal("MissingAuthenticationTokenException",
            Verifier().Verify("POST", Path, string.Empty, new HeaderDictionary(), Body).ErrorType);

    [Fact]
    public void Verify_BearerTokenNotConfigured_Rejected()
    {
        var headers = new HeaderDictionary { ["Authorization"] = "Bearer bedrock-api-key-abc" };
        Assert.Equal("UnrecognizedClientException", Verifier().Verify("POST", Path, string.Empty, headers, Body).ErrorType);
    }

    [Fact]
    public void Verify_BearerTokenConfigured_Accepted()
    {
        var verifier = new SigV4Verifier(new SimulatorOptions { BearerTokens = ["bedrock-api-key-abc"] });
        var headers = new HeaderDictionary { ["Authorization"] = "Bearer bedrock-api-key-abc" };
        Assert.True(verifier.Verify("POST", Path, string.Empty, headers, Body).Accepted);
    }

    private static SigV4Verifier Verifier(DateTimeOffset? now = null) =>
        new(new SimulatorOptions { TimeProvider = new ManualTimeProvider(now ?? SignedAt.AddMinutes(1)) });

    private static HeaderDictionary Headers() => new()
    {
        ["Host"] = "127.0.0.1:8080",
        ["Content-Type"] = "application/json",
        ["X-Amz-Date"] = "20250101T000000Z",
        ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20250101/us-east-1/bedrock/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=" + Signature,
    };
}
