using BedrockSimulator.Auth;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>Vectors from the AWS SigV4 test suite (get-vanilla, post-vanilla, query order) and the IAM docs' key example.</summary>
public sealed class SigV4MathTests
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void DeriveSigningKey_IamDocExample_ReturnsDocumentedKey()
    {
        var key = SigV4Math.DeriveSigningKey(SuiteSecret, "20120215", "us-east-1", "iam");
        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Signature_AwsTestSuiteVector_MatchesPublishedSignature(string method, string query, string expected)
    {
        var headers = new HeaderDictionary { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" };
        var canonical = SigV4Verifier.BuildCanonicalRequest(method, "/", query, headers, ["host", "x-amz-date"], "host;x-amz-date", EmptySha256);
        var key = SigV4Math.DeriveSigningKey(SuiteSecret, "20150830", "us-east-1", "service");

        var signature = SigV4Math.Signature(key, SigV4Math.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical));

        Assert.Equal(expected, signature);
    }

    [Fact]
    public void StringToSign_GetVanilla_HashesCanonicalRequestAsPublished()
    {
        var headers = new HeaderDictionary { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" };
        var canonical = SigV4Verifier.BuildCanonicalRequest("GET", "/", string.Empty, headers, ["host", "x-amz-date"], "host;x-amz-date", EmptySha256);

        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            SigV4Math.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical));
    }

    [Theory]
    [InlineData("/model/amazon.nova-lite-v1%3A0/converse", "/model/amazon.nova-lite-v1%253A0/converse")]
    [InlineData("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/invoke",
        "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Ainference-profile%252Fus.x/invoke")]
    [InlineData("/", "/")]
    public void CanonicalUri_EncodedPath_IsEncodedASecondTime(string rawPath, string expected) =>
        Assert.Equal(expected, SigV4Math.CanonicalUri(rawPath));

    [Fact]
    public void CanonicalHeaderValue_SpacesAroundAndInside_TrimmedAndCollapsed() =>
        Assert.Equal("a b c", SigV4Math.CanonicalHeaderValue("  a   b c "));
}
