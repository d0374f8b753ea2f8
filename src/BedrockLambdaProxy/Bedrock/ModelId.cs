using System.Diagnostics.CodeAnalysis;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Checks a model id before it becomes part of a Bedrock URL. It follows Bedrock's own modelId
/// pattern (model ids, inference profile ids, provisioned names, bedrock ARNs, at most 2048
/// characters) and rejects anything that could change the request's path or query once escaped.
/// </summary>
internal static class ModelId
{
    public const int MaxLength = 2048;

    private static readonly string[] ArnResourceTypes =
    [
        "foundation-model", "inference-profile", "application-inference-profile", "provisioned-model",
        "custom-model", "imported-model", "prompt", "endpoint",
    ];

    /// <summary>True when <paramref name="modelId"/> is acceptable; otherwise an error fit for a 400 body.</summary>
    public static bool TryValidate([NotNullWhen(true)] string? modelId, out string error)
    {
        error = CheckCharacters(modelId) ?? (modelId!.StartsWith("arn:", StringComparison.Ordinal)
            ? CheckArn(modelId)
            : CheckPlainId(modelId)) ?? string.Empty;
        return error.Length == 0;
    }

    private static string? CheckCharacters(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            return "modelId is required and must not be empty.";
        }
        if (modelId.Length > MaxLength)
        {
            return $"modelId is {modelId.Length} characters long; Bedrock allows at most {MaxLength}.";
        }
        foreach (char c in modelId)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "modelId must not contain whitespace or control characters.";
            }
            // These would end the path, start a query or fragment, or smuggle an escape sequence.
            if (c is '?' or '#' or '%' or '\\')
            {
                return $"modelId must not contain '{c}'.";
            }
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_' or ':' or '/'))
            {
                return "modelId may contain only letters, digits and '.', '-', '_', ':', '/'.";
            }
        }
        if (modelId.Contains("..", StringComparison.Ordinal))
        {
            return "modelId must not contain '..'.";
        }
        return null;
    }

    private static string? CheckPlainId(string modelId)
    {
        if (modelId.Contains('/'))
        {
            return "modelId may contain '/' only inside a Bedrock ARN (arn:aws:bedrock:…).";
        }
        if (!char.IsAsciiLetterOrDigit(modelId[0]) || !char.IsAsciiLetterOrDigit(modelId[^1]))
        {
            return "modelId must start and end with a letter or digit (for example anthropic.claude-3-haiku-20240307-v1:0).";
        }
        return null;
    }

    private static string? CheckArn(string arn)
    {
        const string Shape = "arn:aws:bedrock:{region}:{account}:{resource-type}/{id}";
        // arn:partition:service:region:account:resource — the resource may itself contain ':'.
        string[] parts = arn.Split(':', 6);
        if (parts.Length < 6)
        {
            return $"modelId looks like an ARN but is not shaped {Shape}.";
        }
        (string partition, string service, string region, string account, string resource) =
            (parts[1], parts[2], parts[3], parts[4], parts[5]);
        if (partition is not ("aws" or "aws-cn" or "aws-us-gov"))
        {
            return "modelId ARN partition must be aws, aws-cn or aws-us-gov.";
        }
        if (service != "bedrock")
        {
            return "modelId ARN must be a bedrock ARN (arn:aws:bedrock:…).";
        }
        if (region.Length is 0 or > 20 || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return "modelId ARN has an invalid region.";
        }
        int slash = resource.IndexOf('/');
        string resourceType = slash < 0 ? resource : resource[..slash];
        if (slash <= 0 || !ArnResourceTypes.Contains(resourceType))
        {
            return $"modelId ARN resource must be one of {string.Join(", ", ArnResourceTypes)} followed by '/' and an id.";
        }
        string id = resource[(slash + 1)..];
        if (id.Length == 0 || !char.IsAsciiLetterOrDigit(id[0]) || !char.IsAsciiLetterOrDigit(id[^1]) || id.Contains("//", StringComparison.Ordinal))
        {
            return "modelId ARN has an empty or malformed resource id.";
        }
        // Foundation models are AWS-owned, so their ARNs carry no account; everything else is in one.
        bool accountOk = (account.Length == 12 && account.All(char.IsAsciiDigit))
            || (account.Length == 0 && resourceType == "foundation-model");
        return accountOk ? null : "modelId ARN must name a 12-digit AWS account.";
    }
}
