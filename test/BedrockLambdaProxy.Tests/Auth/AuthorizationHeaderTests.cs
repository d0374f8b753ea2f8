using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Tests.Auth;

public sealed class AuthorizationHeaderTests
{
    private static readonly string ValidKey = ApiKeyFormat.Generate().Key;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NoHeader_Missing(string? header)
    {
        Assert.Equal(AuthorizationHeader.Shape.Missing, AuthorizationHeader.Parse(header, out _));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Token abc")]
    [InlineData("Bearer\tabc")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer a\"b")]
    [InlineData("Bearer ==")]
    [InlineData("Bearer=abc")]
    [InlineData("Bearerabc")]
    public void Parse_BearerWithoutKeyOrOtherScheme_NotBearer(string header)
    {
        Assert.Equal(AuthorizationHeader.Shape.NotBearer, AuthorizationHeader.Parse(header, out _));
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("  Bearer   {0}  ")]
    public void Parse_BearerAnyCase_ReturnsKey(string format)
    {
        AuthorizationHeader.Shape shape = AuthorizationHeader.Parse(string.Format(format, ValidKey), out string token);

        Assert.Equal(AuthorizationHeader.Shape.Bearer, shape);
        Assert.Equal(ValidKey, token);
    }

    [Theory]
    [InlineData("Bearer {0}, Bearer {0}")]
    [InlineData("Bearer {0},Bearer other")]
    [InlineData("Basic dXNlcjpwYXNz, Bearer {0}")]
    public void Parse_TwoValuesJoinedByTheFront_Multiple(string format)
    {
        Assert.Equal(AuthorizationHeader.Shape.Multiple, AuthorizationHeader.Parse(string.Format(format, ValidKey), out string token));
        Assert.Empty(token);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a-b.c_d~e+f/g")]
    [InlineData("abc==")]
    public void IsToken68_Rfc9110Characters_True(string value) => Assert.True(AuthorizationHeader.IsToken68(value));

    [Theory]
    [InlineData("")]
    [InlineData("=")]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("a,b")]
    [InlineData("é")]
    public void IsToken68_OtherCharacters_False(string value) => Assert.False(AuthorizationHeader.IsToken68(value));

    [Fact]
    public void Parse_SigV4Header_SigV4()
    {
        const string header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

        Assert.Equal(AuthorizationHeader.Shape.SigV4, AuthorizationHeader.Parse(header, out _));
    }

    [Theory]
    [InlineData(null, "Missing", "Bearer")]
    [InlineData("Bearer", "Malformed", "Bearer error=\"invalid_token\"")]
    [InlineData("Basic dXNlcjpwYXNz", "Malformed", "Bearer error=\"invalid_token\"")]
    [InlineData("Bearer blp_bk_notakey", "Malformed", "Bearer error=\"invalid_token\"")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request", "SigV4Signed", "Bearer error=\"invalid_token\"")]
    [InlineData("Bearer a, Bearer b", "Malformed", "Bearer error=\"invalid_request\"", 400)]
    public async Task AuthenticateAsync_BadHeader_401WithoutDynamoDb(string? header, string kind, string challenge, int status = 401)
    {
        // Port 9 (discard) is closed: had the authenticator called DynamoDB, the result would be Unavailable.
        using var db = DynamoClientFactory.Create("us-east-1", new Uri("http://127.0.0.1:9"), new BasicAWSCredentials("x", "x"));
        var authenticator = new ApiKeyAuthenticator(new ApiKeyStore(db, TableNames.Default), new CustomerStore(db, TableNames.Default),
            TimeSpan.FromSeconds(60), TimeProvider.System);

        AuthResult result = await authenticator.AuthenticateAsync(header, CancellationToken.None);

        Assert.Equal(Enum.Parse<AuthResultKind>(kind), result.Kind);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(challenge, result.WwwAuthenticate);
        Assert.Null(result.Customer);
    }

    [Fact]
    public async Task AuthenticateAsync_WellFormedKeyDynamoDbDown_Unavailable503()
    {
        using var db = DynamoClientFactory.Create("us-east-1", new Uri("http://127.0.0.1:9"), new BasicAWSCredentials("x", "x"));
        var authenticator = new ApiKeyAuthenticator(new ApiKeyStore(db, TableNames.Default), new CustomerStore(db, TableNames.Default),
            TimeSpan.FromSeconds(60), TimeProvider.System);

        AuthResult result = await authenticator.AuthenticateAsync("Bearer " + ValidKey, CancellationToken.None);

        Assert.Equal(AuthResultKind.Unavailable, result.Kind);
        Assert.Equal(503, result.StatusCode);
        Assert.Null(result.WwwAuthenticate);
        Assert.NotNull(result.FailureDetail);
        Assert.DoesNotContain(ValidKey, result.FailureDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyFormat.Digest(ValidKey), result.FailureDetail, StringComparison.Ordinal);
    }
}
