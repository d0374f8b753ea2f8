using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class AwsIdentifierScrubberTests
{
    private const string Account = "123456789012";

    [Theory]
    // IAM: no policy allows the action (the function's assumed role, a foundation model).
    [InlineData(
        "User: arn:aws:sts::123456789012:assumed-role/prod-proxy-ProxyFunctionRole-1X2Y3Z/prod-proxy-ProxyFunction-AbCdEf is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action",
        "User: (ARN redacted) is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action")]
    // An SCP's explicit deny on this account's inference profile, in another partition.
    [InlineData(
        "User: arn:aws-us-gov:sts::123456789012:assumed-role/Role/Session is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0 with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-xyz.",
        "User: (ARN redacted) is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: (ARN redacted) with an explicit deny in a service control policy: (ARN redacted).")]
    // A bare account id, quoted ARN.
    [InlineData(
        "Account 123456789012 is not allowed to use 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123'",
        "Account (account redacted) is not allowed to use '(ARN redacted)'")]
    // Bedrock's model-access message has nothing to remove.
    [InlineData("You don't have access to the model with the specified model ID.", "You don't have access to the model with the specified model ID.")]
    public void Scrub_RealisticDenial_RemovesRoleAndAccountKeepsTheRest(string message, string expected)
    {
        string scrubbed = AwsIdentifierScrubber.Scrub(message);

        Assert.Equal(expected, scrubbed);
        Assert.DoesNotContain(Account, scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("assumed-role", scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxTokens must be at most 4096; got 1234567890123.")] // 13 digits: not an account
    [InlineData("Requests 20251203 and 99 were refused.")]
    public void Scrub_NumbersThatAreNotAccounts_Unchanged(string message)
    {
        Assert.Equal(message, AwsIdentifierScrubber.Scrub(message));
    }
}
