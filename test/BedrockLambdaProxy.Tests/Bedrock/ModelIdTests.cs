using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class ModelIdTests
{
    [Theory]
    [InlineData("anthropic.claude-3-5-sonnet-20240620-v1:0")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0:200k")]
    [InlineData("us.anthropic.claude-3-7-sonnet-20250219-v1:0")]
    [InlineData("eu.amazon.nova-pro-v1:0")]
    [InlineData("amazon.titan-embed-text-v2:0")]
    [InlineData("meta.llama3-1-8b-instruct-v1:0")]
    [InlineData("mistral.mistral-7b-instruct-v0:2")]
    [InlineData("my_provisioned-throughput")]
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0")]
    [InlineData("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/a1b2c3d4e5f6")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12345:1")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:endpoint/my-endpoint")]
    [InlineData("arn:aws-cn:bedrock:cn-north-1:123456789012:inference-profile/apac.amazon.nova-lite-v1:0")]
    [InlineData("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")]
    public void TryValidate_BedrockIdOrArn_Accepts(string modelId)
    {
        Assert.True(ModelId.TryValidate(modelId, out string error), error);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("anthropic.claude v1", "whitespace")]
    [InlineData("anthropic.claude\tv1", "whitespace")]
    [InlineData("anthropic.claude\u0000v1", "control")]
    [InlineData("anthropic.claude\nv1", "whitespace")]
    [InlineData("anthropic.claude-v1?x=1", "'?'")]
    [InlineData("anthropic.claude-v1#frag", "'#'")]
    [InlineData("anthropic.claude%2Fv1", "'%'")]
    [InlineData("anthropic\\claude", "'\\'")]
    [InlineData("anthropic..claude", "'..'")]
    [InlineData("../../converse", "'..'")]
    [InlineData("anthropic.claude/../../x", "'..'")]
    [InlineData("anthropic/claude-v1", "'/' only inside")]
    [InlineData(".anthropic.claude", "start and end")]
    [InlineData("anthropic.claude:", "start and end")]
    [InlineData("anthropic.cläude", "may contain only")]
    [InlineData("anthropic.claude\"", "may contain only")]
    [InlineData("arn:aws:s3:::bucket/key", "bedrock ARN")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012", "not shaped")]
    [InlineData("arn:azure:bedrock:us-east-1:123456789012:inference-profile/x1", "partition")]
    [InlineData("arn:aws:bedrock::123456789012:inference-profile/x1", "region")]
    [InlineData("arn:aws:bedrock:US-EAST-1:123456789012:inference-profile/x1", "region")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:agent/x1", "resource must be one of")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/", "resource id")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile//x1", "resource id")]
    [InlineData("arn:aws:bedrock:us-east-1::inference-profile/x1", "12-digit")]
    [InlineData("arn:aws:bedrock:us-east-1:12345:provisioned-model/abc", "12-digit")]
    public void TryValidate_Rejected_ExplainsWhy(string? modelId, string expected)
    {
        Assert.False(ModelId.TryValidate(modelId, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("modelId", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_LongerThan2048_Rejected()
    {
        string id = "anthropic." + new string('a', ModelId.MaxLength);

        Assert.False(ModelId.TryValidate(id, out string error));
        Assert.Contains("at most 2048", error, StringComparison.Ordinal);
        Assert.True(ModelId.TryValidate(id[..ModelId.MaxLength], out _));
    }

    [Theory]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x-v1:0",
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x-v1%3A0/converse")]
    public void RelativePath_ValidId_EscapesIdAsOneSegment(string modelId, string expected)
    {
        Assert.Equal(expected, BedrockOperation.Converse.RelativePath(modelId));
    }
}
