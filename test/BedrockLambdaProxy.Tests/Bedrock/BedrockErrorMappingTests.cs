using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class BedrockErrorMappingTests
{
    private const string Model = "anthropic.claude-3-haiku-20240307-v1:0";

    [Theory]
    [InlineData("ValidationException", 400, 400, "ValidationException", null)]
    [InlineData("ResourceNotFoundException", 404, 404, "ResourceNotFoundException", null)]
    [InlineData("ThrottlingException", 429, 429, "ThrottlingException", 1)]
    [InlineData("ServiceQuotaExceededException", 400, 429, "ServiceQuotaExceededException", 1)]
    [InlineData("ModelTimeoutException", 408, 504, "ModelTimeoutException", null)]
    [InlineData("ModelNotReadyException", 429, 503, "ModelNotReadyException", 1)]
    [InlineData("ServiceUnavailableException", 503, 503, "ServiceUnavailableException", 1)]
    [InlineData("InternalServerException", 500, 502, "InternalServerException", null)]
    [InlineData("SomethingNew", 500, 502, "SomethingNew", null)]
    [InlineData("ModelErrorException", 424, 424, "ModelErrorException", null)]
    [InlineData("SomethingThrottly", 429, 429, "SomethingThrottly", 1)]
    [InlineData(BedrockException.NetworkErrorType, 0, 502, "InternalServerException", null)]
    [InlineData(BedrockException.CredentialsErrorType, 0, 500, "InternalServerException", null)]
    public void ToProxyStatus_UpstreamError_MapsStatusTypeAndRetryAfter(
        string errorType, int upstreamStatus, int expectedStatus, string expectedType, int? expectedRetryAfter)
    {
        var error = new BedrockException(BedrockOperation.Converse, Model, errorType, "upstream says no", upstreamStatus, null, false);

        BedrockProxyError mapped = BedrockErrorMapping.ToProxyStatus(error);

        Assert.Equal(expectedStatus, mapped.StatusCode);
        Assert.Equal(expectedType, mapped.ErrorType);
        Assert.Equal(expectedRetryAfter, mapped.RetryAfterSeconds);
        Assert.False(string.IsNullOrWhiteSpace(mapped.Message));
    }

    [Fact]
    public void ToProxyStatus_ValidationException_KeepsBedrockMessage()
    {
        var error = new BedrockException(BedrockOperation.Converse, Model, "ValidationException", "messages: too short", 400, null, false);

        Assert.Equal("messages: too short", BedrockErrorMapping.ToProxyStatus(error).Message);
    }

    [Fact]
    public void ToProxyStatus_ThrottleWithRetryAfter_RoundsUpBedrocksValue()
    {
        var error = new BedrockException(
            BedrockOperation.Converse, Model, "ThrottlingException", "slow", 429, TimeSpan.FromMilliseconds(2500), true);

        Assert.Equal(3, BedrockErrorMapping.ToProxyStatus(error).RetryAfterSeconds);
    }

    [Theory]
    [InlineData(nameof(BedrockOperation.InvokeModel), "bedrock:InvokeModel ")]
    [InlineData(nameof(BedrockOperation.Converse), "bedrock:InvokeModel ")]
    [InlineData(nameof(BedrockOperation.ConverseStream), "bedrock:InvokeModelWithResponseStream")]
    [InlineData(nameof(BedrockOperation.InvokeModelWithResponseStream), "bedrock:InvokeModelWithResponseStream")]
    [InlineData(nameof(BedrockOperation.CountTokens), "bedrock:CountTokens")]
    public void ToProxyStatus_AccessDenied_NamesTheMissingPermission(string operation, string action)
    {
        var error = new BedrockException(Enum.Parse<BedrockOperation>(operation), Model, "AccessDeniedException", "not authorized", 403, null, false);

        BedrockProxyError mapped = BedrockErrorMapping.ToProxyStatus(error);

        Assert.Equal(403, mapped.StatusCode);
        Assert.Contains("IAM role", mapped.Message, StringComparison.Ordinal);
        Assert.Contains(action, mapped.Message, StringComparison.Ordinal);
        Assert.Contains(Model, mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProxyStatus_IamDenial_CallerMessageHasNoRoleOrAccount()
    {
        const string denial = "User: arn:aws:sts::123456789012:assumed-role/proxy-ProxyFunctionRole-X/proxy-ProxyFunction-Y is not authorized "
            + "to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 "
            + "because no identity-based policy allows the bedrock:InvokeModel action";
        var error = new BedrockException(BedrockOperation.Converse, Model, "AccessDeniedException", denial, 403, null, false);

        BedrockProxyError mapped = BedrockErrorMapping.ToProxyStatus(error);

        Assert.Equal((403, "AccessDeniedException"), (mapped.StatusCode, mapped.ErrorType));
        Assert.DoesNotContain("123456789012", mapped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ProxyFunctionRole", mapped.Message, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: bedrock:InvokeModel", mapped.Message, StringComparison.Ordinal);
        // The exception keeps the whole message for the operator's log.
        Assert.Equal(denial, error.Message);
    }

    [Fact]
    public void ToProxyStatus_OtherErrorNamingAnAccount_Scrubbed()
    {
        var error = new BedrockException(BedrockOperation.Converse, Model, "ValidationException",
            "The provisioned model arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc is not in service.", 400, null, false);

        Assert.Equal("The provisioned model (ARN redacted) is not in service.", BedrockErrorMapping.ToProxyStatus(error).Message);
    }
}
